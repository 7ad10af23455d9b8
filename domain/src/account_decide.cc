// Deciders of the sign-in commands (accounts.h).
#include "account_decide.h"

#include "text_rules.h"
#include "ticketd/domain/permissions.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {
namespace {

using Events = std::vector<DomainEvent>;

// DirectoryEvent for an account event (the payload is nested one level).
DomainEvent AccountDirectoryEvent(const Actor& actor, Timestamp at, const Id& tenant_id, AccountEvent payload) {
  return DirectoryEvent(actor, at, tenant_id, EventPayload{std::move(payload)});
}

// users:manage in this tenant (or the platform admin).
std::optional<DomainError> CheckUserManager(const Actor& actor, const Id& tenant_id) {
  if (actor.IsPlatformAdmin()) return std::nullopt;
  if (!Can(actor, Permission::kUsersManage)) return MissingPermission(Permission::kUsersManage, "this needs users:manage");
  if (actor.tenant_id != tenant_id) return MakeError(ErrorCode::kNotFound, "no such user");
  return std::nullopt;
}

const User* LiveUser(const TenantState& state, const Id& user_id) {
  auto user = state.users.find(user_id);
  if (user == state.users.end() || user->second.erased_at) return nullptr;
  return &user->second;
}

}  // namespace

DirectoryDecision DecideAccount(const TenantState& state, const SetPassword& c) {
  const User* user = LiveUser(state, c.user_id);
  if (c.actor.IsPlatformAdmin() || c.actor.user_id != c.user_id || !user || !user->active)
    return Fail(ErrorCode::kForbidden, "only the user may change their password");
  return Events{AccountDirectoryEvent(c.actor, c.at, c.tenant_id, PasswordSet{c.user_id, c.password_hash, {}})};
}

DirectoryDecision DecideAccount(const TenantState& state, const IssuePasswordReset& c) {
  if (auto e = CheckUserManager(c.actor, c.tenant_id)) return Err{*e};
  if (!LiveUser(state, c.user_id)) return Fail(ErrorCode::kNotFound, "no such user");
  return Events{AccountDirectoryEvent(c.actor, c.at, c.tenant_id,
                                      PasswordResetIssued{c.user_id, c.reset_sha256, c.at + kResetTokenLifetime})};
}

DirectoryDecision DecideAccount(const TenantState& state, const ResetPassword& c) {
  auto grant = state.accounts.resets.find(c.reset_sha256);
  if (grant == state.accounts.resets.end() || grant->second.expires_at <= c.at)
    return Fail(ErrorCode::kInvalidResetToken, "the reset token is unknown, spent or expired", "reset_token");
  const User* user = LiveUser(state, grant->second.user_id);
  if (!user || !user->active)
    return Fail(ErrorCode::kInvalidResetToken, "the reset token is unknown, spent or expired", "reset_token");
  Actor as_user = c.actor;
  as_user.user_id = user->id;
  return Events{AccountDirectoryEvent(as_user, c.at, c.tenant_id,
                                      PasswordSet{user->id, c.password_hash, c.reset_sha256})};
}

DirectoryDecision DecideAccount(const TenantState& state, const StartSession& c) {
  const User* user = LiveUser(state, c.user_id);
  auto hash = state.accounts.password_hash.find(c.user_id);
  if (!user || !user->active || hash == state.accounts.password_hash.end() || hash->second != c.verified_hash)
    return Fail(ErrorCode::kInvalidCredentials, "wrong tenant, email or password");
  Actor as_user = c.actor;
  as_user.user_id = user->id;
  return Events{AccountDirectoryEvent(
      as_user, c.at, c.tenant_id,
      SessionStarted{c.session_id, c.user_id, c.refresh_sha256, c.at + kRefreshTokenLifetime})};
}

DirectoryDecision DecideAccount(const TenantState& state, const RefreshSession& c) {
  auto owner = state.accounts.refresh_owner.find(c.presented_sha256);
  if (owner == state.accounts.refresh_owner.end())
    return Fail(ErrorCode::kInvalidRefreshToken, "the refresh token is unknown, spent or expired");
  const Id session_id = owner->second;
  const SessionState& session = state.accounts.sessions.at(session_id);
  Actor as_user = c.actor;
  as_user.user_id = session.user_id;
  if (session.refresh_sha256 != c.presented_sha256) {
    // A spent token came back: someone holds a copy. End the whole session.
    return Events{AccountDirectoryEvent(as_user, c.at, c.tenant_id,
                                        SessionRevoked{session_id, RevokeReason::kRefreshReuse})};
  }
  const User* user = LiveUser(state, session.user_id);
  if (session.expires_at <= c.at || !user || !user->active)
    return Fail(ErrorCode::kInvalidRefreshToken, "the refresh token is unknown, spent or expired");
  return Events{AccountDirectoryEvent(
      as_user, c.at, c.tenant_id, SessionRefreshed{session_id, c.refresh_sha256, c.at + kRefreshTokenLifetime})};
}

DirectoryDecision DecideAccount(const TenantState& state, const EndSession& c) {
  auto session = state.accounts.sessions.find(c.session_id);
  if (session == state.accounts.sessions.end() || session->second.user_id != c.actor.user_id)
    return Events{};  // already over: logging out twice is fine
  return Events{AccountDirectoryEvent(c.actor, c.at, c.tenant_id, SessionRevoked{c.session_id, RevokeReason::kLogout})};
}

DirectoryDecision DecideAccount(const TenantState& state, const UpdateUser& c) {
  if (auto e = CheckUserManager(c.actor, c.tenant_id)) return Err{*e};
  auto found = state.users.find(c.user_id);
  if (found == state.users.end()) return Fail(ErrorCode::kNotFound, "no such user");
  const User& user = found->second;
  if (c.name) {
    if (auto e = CheckText("name", *c.name, 1, kMaxNameChars, LineRule::kSingleLine)) return Err{*e};
    if (user.erased_at) return Fail(ErrorCode::kSubjectErased, "the user's personal data was erased");
  }
  if (c.department) {
    if (auto e = CheckText("department", *c.department, 0, 64, LineRule::kSingleLine)) return Err{*e};
  }
  UserUpdated changed{.user_id = c.user_id};
  if (c.name && *c.name != user.name) changed.name = c.name;
  if (c.role && *c.role != user.role) changed.role = c.role;
  if (c.department && *c.department != user.department) changed.department = c.department;
  if (c.active && *c.active != user.active) changed.active = c.active;
  if (!changed.name && !changed.role && !changed.department && !changed.active) return Events{};
  if (changed.role || changed.department) {
    // No escalation, and max_agents holds for promotions as for new users.
    const Role role = changed.role.value_or(user.role);
    const std::string& department = changed.department ? *changed.department : user.department;
    if (auto e = CheckMayGrant(c.actor, RolePermissions(role, department == "IT"))) return Err{*e};
    if (auto e = CheckAgentQuotaForRole(state, c.user_id, role, department)) return Err{*e};
  }
  return Events{AccountDirectoryEvent(c.actor, c.at, c.tenant_id, std::move(changed))};
}

void EvolveTenantAccounts(TenantState& state, const DomainEvent& event, const AccountEvent& payload) {
  if (const auto* updated = std::get_if<UserUpdated>(&payload)) {
    if (auto user = state.users.find(updated->user_id); user != state.users.end()) {
      if (updated->name) user->second.name = *updated->name;
      if (updated->role) user->second.role = *updated->role;
      if (updated->department) user->second.department = *updated->department;
      if (updated->active) user->second.active = *updated->active;
    }
  }
  EvolveAccounts(state.accounts, event, payload);
}

}  // namespace ticketd::domain

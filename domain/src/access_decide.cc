// The access commands: permission groups, settings, licence, API keys; and
// the effective-permission and max_agents rules shared with user commands.
#include <algorithm>

#include "directory_rules.h"
#include "text_rules.h"

namespace ticketd::domain {
namespace {

using Events = std::vector<DomainEvent>;

const User* FindLiveUser(const TenantState& state, const Id& user_id) {
  auto it = state.users.find(user_id);
  if (it == state.users.end() || it->second.erased_at) return nullptr;
  return &it->second;
}

}  // namespace

std::optional<DomainError> CheckMayGrant(const Actor& actor, PermissionSet granted) {
  if (actor.IsPlatformAdmin()) return std::nullopt;
  for (const PermissionName& entry : kPermissionNames) {
    if (granted.Has(entry.permission) && !Can(actor, entry.permission))
      return MissingPermission(entry.permission, "you cannot grant " + std::string(entry.name) +
                                                     ", which you do not hold yourself");
  }
  return std::nullopt;
}

PermissionSet EffectivePermissions(const TenantAccess& access, const User& user) {
  return user.RolePermissions() | access.GroupPermissionsOf(user.id);
}

Actor ActorOf(const TenantAccess& access, const User& user) {
  Actor actor;
  actor.user_id = user.id;
  actor.tenant_id = user.tenant_id;
  actor.role = user.role;
  actor.it_department = user.department == "IT";
  actor.group_permissions = access.GroupPermissionsOf(user.id);
  return actor;
}

std::int64_t CountAgents(const std::unordered_map<Id, User, IdHash>& users, const TenantAccess& access) {
  std::int64_t agents = 0;
  for (const auto& [id, user] : users)
    if (!user.erased_at && user.active && EffectivePermissions(access, user).Has(Permission::kTicketsManage)) ++agents;
  return agents;
}

std::optional<DomainError> CheckAgentQuota(const TenantState& state, const Id& user_id, PermissionSet after) {
  const std::optional<std::int64_t>& limit = state.access.quotas[Quota::kMaxAgents];
  if (!limit || !after.Has(Permission::kTicketsManage)) return std::nullopt;
  const User* user = FindLiveUser(state, user_id);
  if (user && EffectivePermissions(state.access, *user).Has(Permission::kTicketsManage)) return std::nullopt;
  const std::int64_t current = CountAgents(state.users, state.access);
  if (current + 1 <= *limit) return std::nullopt;
  DomainError e = MakeError(ErrorCode::kQuotaExceeded, "the tenant's max_agents quota (users holding "
                                                       "tickets:manage) is reached");
  e.quota = ToString(Quota::kMaxAgents);
  e.limit = *limit;
  e.current = current;
  return e;
}

std::optional<DomainError> CheckAgentQuotaForRole(const TenantState& state, const Id& user_id, Role role,
                                                  std::string_view department) {
  return CheckAgentQuota(state, user_id,
                         RolePermissions(role, department == "IT") | state.access.GroupPermissionsOf(user_id));
}

DomainEvent QuotaAlertEvent(const DomainError& error, const Id& tenant_id, const Actor& actor, Timestamp at) {
  QuotaAlertRaised alert{ParseQuota(error.quota).value_or(Quota::kMaxAgents), error.limit, error.current};
  return DirectoryEvent(actor, at, tenant_id, alert);
}

DirectoryDecision DecideAccess(const TenantState& state, const CreatePermissionGroup& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, Permission::kUsersManage, false)) return Err{*e};
  if (!state.exists) return Fail(ErrorCode::kNotFound, "no such tenant");
  if (auto e = CheckText("name", c.name, 1, kMaxGroupNameChars, LineRule::kSingleLine)) return Err{*e};
  if (auto e = CheckMayGrant(c.actor, c.permissions)) return Err{*e};
  for (const auto& [id, group] : state.access.groups)
    if (Lowercase(group.name) == Lowercase(c.name))
      return Fail(ErrorCode::kNameTaken, "a permission group with this name exists", "name");
  return Events{DirectoryEvent(c.actor, c.at, c.tenant_id,
                               PermissionGroupCreated{c.group_id, c.name, c.permissions, false})};
}

DirectoryDecision DecideAccess(const TenantState& state, const SetGroupMembership& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, Permission::kUsersManage, false)) return Err{*e};
  auto group = state.access.groups.find(c.group_id);
  if (group == state.access.groups.end()) return Fail(ErrorCode::kNotFound, "no such permission group");
  const User* user = FindLiveUser(state, c.user_id);
  if (!user) return Fail(ErrorCode::kNotFound, "no such user");
  const bool member = group->second.members.contains(c.user_id);
  if (member == c.member) return Events{};
  if (!c.member)
    return Events{DirectoryEvent(c.actor, c.at, c.tenant_id, PermissionGroupMemberRemoved{c.group_id, c.user_id})};
  if (auto e = CheckMayGrant(c.actor, group->second.permissions)) return Err{*e};
  PermissionSet after = EffectivePermissions(state.access, *user) | group->second.permissions;
  if (auto e = CheckAgentQuota(state, c.user_id, after)) return Err{*e};
  return Events{DirectoryEvent(c.actor, c.at, c.tenant_id, PermissionGroupMemberAdded{c.group_id, c.user_id})};
}

DirectoryDecision DecideAccess(const TenantState& state, const ChangeSettings& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, Permission::kSettingsManage, false)) return Err{*e};
  if (!state.exists) return Fail(ErrorCode::kNotFound, "no such tenant");
  FeatureSet enabled = state.access.enabled;
  for (const auto& [feature, on] : c.features) {
    if (on && !state.access.licensed.Has(feature))
      return Fail(ErrorCode::kNotLicensed, "the tenant's licence does not grant " + std::string(ToString(feature)),
                  std::string(ToString(feature)));
    enabled.Set(feature, on);
  }
  Events events;
  if (enabled != state.access.enabled)
    events.push_back(DirectoryEvent(c.actor, c.at, c.tenant_id, SettingsChanged{enabled}));
  // workflow (issue 12): closed_reopen
  if (c.closed_reopen && *c.closed_reopen != state.catalog.reopen)
    events.push_back(DirectoryEvent(c.actor, c.at, c.tenant_id, WorkflowEvent{ReopenPolicyChanged{*c.closed_reopen}}));
  return events;
}

DirectoryDecision DecideAccess(const TenantState& state, const ChangeLicense& c) {
  if (!c.actor.IsPlatformAdmin()) return Fail(ErrorCode::kForbidden, "only the platform admin changes licences");
  if (!state.exists) return Fail(ErrorCode::kNotFound, "no such tenant");
  LicenseChanged changed{state.access.licensed, state.access.quotas};
  for (const auto& [feature, licensed] : c.features) changed.licensed.Set(feature, licensed);
  for (const auto& [quota, limit] : c.quotas) {
    if (limit && *limit < 0)
      return Fail(ErrorCode::kValidation, "must be a whole number >= 0 or null (unlimited)",
                  "quotas." + std::string(ToString(quota)));
    changed.quotas[quota] = limit;
  }
  if (changed.licensed == state.access.licensed && changed.quotas == state.access.quotas) return Events{};
  return Events{DirectoryEvent(c.actor, c.at, c.tenant_id, changed)};
}

DirectoryDecision DecideAccess(const TenantState& state, const CreateApiKey& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, Permission::kSettingsManage, false)) return Err{*e};
  if (!state.exists) return Fail(ErrorCode::kNotFound, "no such tenant");
  if (auto e = CheckText("name", c.name, 1, kMaxApiKeyNameChars, LineRule::kSingleLine)) return Err{*e};
  if (c.scopes.Empty()) return Fail(ErrorCode::kValidation, "must name at least one scope", "scopes");
  if (c.expires_at && *c.expires_at <= c.at)
    return Fail(ErrorCode::kValidation, "must be in the future", "expires_at");
  return Events{DirectoryEvent(c.actor, c.at, c.tenant_id,
                               ApiKeyCreated{c.key_id, c.name, c.scopes, c.key_sha256, c.expires_at})};
}

DirectoryDecision DecideAccess(const TenantState& state, const RevokeApiKey& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, Permission::kSettingsManage, false)) return Err{*e};
  auto key = state.access.api_keys.find(c.key_id);
  if (key == state.access.api_keys.end() || key->second.revoked)
    return Fail(ErrorCode::kNotFound, "no such API key");
  return Events{DirectoryEvent(c.actor, c.at, c.tenant_id, ApiKeyRevoked{c.key_id})};
}

DirectoryDecision DecideAccess(const TenantState& state, const RecordApiKeyUsage& c) {
  if (!c.actor.IsPlatformAdmin()) return Fail(ErrorCode::kForbidden, "usage is recorded by the server itself");
  Events events;
  for (const ApiKeyUsage& usage : c.usage) {
    auto key = state.access.api_keys.find(usage.key_id);
    if (key == state.access.api_keys.end()) continue;
    auto day = key->second.requests_by_day.find(usage.day);
    if (day != key->second.requests_by_day.end() && day->second >= usage.requests) continue;
    events.push_back(DirectoryEvent(c.actor, c.at, c.tenant_id, usage));
  }
  return events;
}

DirectoryDecision DecideAccess(const TenantState& state, const RecordQuotaAlert& c) {
  if (!c.actor.IsPlatformAdmin()) return Fail(ErrorCode::kForbidden, "quota alerts are recorded by the server itself");
  if (!state.exists) return Fail(ErrorCode::kNotFound, "no such tenant");
  return Events{DirectoryEvent(c.actor, c.at, c.tenant_id, c.alert)};
}

}  // namespace ticketd::domain

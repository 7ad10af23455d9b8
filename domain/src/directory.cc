// The tenant directory aggregate: tenants, users and their tokens, assets.
#include "ticketd/domain/status_facts.h"
#include "ticketd/domain/directory.h"

#include <cstdio>

#include "directory_rules.h"
#include "account_decide.h"
#include "text_rules.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {
namespace {

using Events = std::vector<DomainEvent>;
using Decision = Result<Events, DomainError>;

constexpr std::size_t kMaxDepartmentChars = 64;
constexpr std::size_t kMaxAssetKindChars = 64;

std::optional<DomainError> CheckPrefix(std::string_view prefix) {
  bool ok = !prefix.empty() && prefix.size() <= kMaxPrefixChars && prefix[0] >= 'A' && prefix[0] <= 'Z';
  for (char c : prefix) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  if (ok) return std::nullopt;
  return MakeError(ErrorCode::kValidation, "must be 1-10 of A-Z and 0-9, starting with a letter",
                   "ticket_prefix");
}

std::optional<DomainError> CheckEmail(std::string_view email) {
  if (auto e = CheckText("email", email, 3, kMaxEmailChars, LineRule::kSingleLine)) return e;
  auto at = email.find('@');
  bool ok = at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
            email.find('@', at + 1) == std::string_view::npos && email.find(' ') == std::string_view::npos;
  if (ok) return std::nullopt;
  return MakeError(ErrorCode::kValidation, "must be an email address like name@example.com", "email");
}


Decision CreateTenantDecision(const TenantState& state, const CreateTenant& c, const DirectoryContext& ctx) {
  if (!c.actor.IsPlatformAdmin())
    return Fail(ErrorCode::kForbidden, "only the platform admin creates tenants");
  if (state.exists) return Fail(ErrorCode::kValidation, "tenant id already used", "id");
  if (auto e = CheckText("name", c.name, 1, kMaxNameChars, LineRule::kSingleLine)) return Err{*e};
  std::string prefix = c.ticket_prefix.empty() ? "TKT" : c.ticket_prefix;
  if (auto e = CheckPrefix(prefix)) return Err{*e};
  const std::string slug = TenantSlug(c);
  if (!IsValidSlug(slug))
    return Fail(ErrorCode::kValidation,
                "must be 2-40 of a-z, 0-9 and '-' (a name without enough letters or digits needs one)", "slug");
  if (ctx.slug_taken) return Fail(ErrorCode::kSlugTaken, "another tenant has this slug", "slug");
  Events events{
      DirectoryEvent(c.actor, c.at, c.tenant_id, TenantCreated{c.tenant_id, c.name, prefix, slug}),
      DirectoryEvent(c.actor, c.at, c.tenant_id,
                     PermissionGroupCreated{c.itsm_agent_group_id, std::string(kItsmAgentGroupName),
                                            kItsmAgentPermissions, /*system=*/true}),
  };
  // workflow (issue 12): group IT and its categories, when the shell gave
  // their ids (without them the tenant is seeded at the next start).
  if (!c.default_catalog_ids[0].IsNil())
    for (DomainEvent& e : DefaultCatalogEvents(c.actor, c.at, c.tenant_id, c.default_catalog_ids))
      events.push_back(std::move(e));
  return events;
}

Decision CreateUserDecision(const TenantState& state, const CreateUser& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, Permission::kUsersManage, /*platform_allowed=*/true))
    return Err{*e};
  if (!state.exists) return Fail(ErrorCode::kNotFound, "no such tenant");
  if (auto e = CheckText("name", c.name, 1, kMaxNameChars, LineRule::kSingleLine)) return Err{*e};
  if (auto e = CheckEmail(c.email)) return Err{*e};
  if (auto e = CheckText("department", c.department, 0, kMaxDepartmentChars, LineRule::kSingleLine))
    return Err{*e};
  if (auto e = CheckMayGrant(c.actor, RolePermissions(c.role, c.department == "IT"))) return Err{*e};
  if (state.user_by_email.contains(Lowercase(c.email)))
    return Fail(ErrorCode::kEmailTaken, "a user with this email already exists in the tenant", "email");
  if (auto e = CheckAgentQuota(state, c.user_id, RolePermissions(c.role, c.department == "IT"))) return Err{*e};
  Events events{
      DirectoryEvent(c.actor, c.at, c.tenant_id,
                     UserCreated{c.user_id, c.name, c.email, c.role, c.department}),
      DirectoryEvent(c.actor, c.at, c.tenant_id, TokenIssued{c.user_id, c.token_sha256}),
  };
  if (!c.password_hash.empty())
    events.push_back(DirectoryEvent(c.actor, c.at, c.tenant_id,
                                    AccountEvent{PasswordSet{c.user_id, c.password_hash, {}}}));
  return events;
}

Decision CreateAssetDecision(const TenantState& state, const CreateAsset& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, kTenantAdministration, /*platform_allowed=*/false))
    return Err{*e};
  if (!state.exists) return Fail(ErrorCode::kNotFound, "no such tenant");
  if (auto e = CheckText("name", c.name, 1, kMaxNameChars, LineRule::kSingleLine)) return Err{*e};
  if (auto e = CheckText("kind", c.kind, 0, kMaxAssetKindChars, LineRule::kSingleLine)) return Err{*e};
  return Events{DirectoryEvent(c.actor, c.at, c.tenant_id, AssetCreated{c.asset_id, c.name, c.kind})};
}

Decision DeleteAssetDecision(const TenantState& state, const DeleteAsset& c, const DirectoryContext& ctx) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, kTenantAdministration, /*platform_allowed=*/false))
    return Err{*e};
  if (!state.assets.contains(c.asset_id)) return Fail(ErrorCode::kNotFound, "no such asset");
  for (const auto& [ticket_id, status] : ctx.tickets_referencing_asset) {
    if (!IsTerminal(status))
      return Fail(ErrorCode::kAssetInUse, "a ticket that is not closed or cancelled references this asset");
  }
  Events events{DirectoryEvent(c.actor, c.at, c.tenant_id, AssetDeleted{c.asset_id})};
  for (const auto& [ticket_id, status] : ctx.tickets_referencing_asset) {
    TicketUpdated cleared;
    cleared.asset_id = Nullable<Id>{};
    events.push_back(DomainEvent{c.tenant_id, ticket_id, c.at, c.actor.user_id, std::move(cleared)});
  }
  return events;
}

Decision EraseUserDecision(const TenantState& state, const EraseUser& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, Permission::kUsersManage, /*platform_allowed=*/false))
    return Err{*e};
  auto user = state.users.find(c.user_id);
  if (user == state.users.end()) return Fail(ErrorCode::kNotFound, "no such user");
  if (user->second.erased_at) return Events{};  // idempotent: the key is already destroyed
  return Events{DirectoryEvent(c.actor, c.at, c.tenant_id, UserErased{c.user_id})};
}

}  // namespace

std::optional<DomainError> CheckTenantPermission(const Actor& actor, const Id& tenant_id, Permission permission,
                                                 bool platform_allowed) {
  if (actor.IsPlatformAdmin()) {
    if (platform_allowed) return std::nullopt;
    return MakeError(ErrorCode::kForbidden, "the platform admin token cannot do this; use a tenant admin");
  }
  if (!Can(actor, permission))
    return MissingPermission(permission, "this needs " + std::string(ToString(permission)));
  if (actor.tenant_id != tenant_id) return MakeError(ErrorCode::kNotFound, "no such tenant");
  return std::nullopt;
}

TenantState InitialTenantState() { return TenantState{}; }

Result<std::vector<DomainEvent>, DomainError> DecideDirectory(const TenantState& state,
                                                              const DirectoryCommand& command,
                                                              const DirectoryContext& context) {
  return std::visit(Overloaded{
                        [&](const CreateTenant& c) { return CreateTenantDecision(state, c, context); },
                        [&](const CreateUser& c) { return CreateUserDecision(state, c); },
                        [&](const CreateAsset& c) { return CreateAssetDecision(state, c); },
                        [&](const DeleteAsset& c) { return DeleteAssetDecision(state, c, context); },
                        [&](const EraseUser& c) { return EraseUserDecision(state, c); },
                        // access (issue 11): access_decide.cc
                        [&](const CreatePermissionGroup& c) { return DecideAccess(state, c); },
                        [&](const SetGroupMembership& c) { return DecideAccess(state, c); },
                        [&](const ChangeSettings& c) { return DecideAccess(state, c); },
                        [&](const ChangeLicense& c) { return DecideAccess(state, c); },
                        [&](const CreateApiKey& c) { return DecideAccess(state, c); },
                        [&](const RevokeApiKey& c) { return DecideAccess(state, c); },
                        [&](const RecordApiKeyUsage& c) { return DecideAccess(state, c); },
                        // workflow (issue 12): catalog_decide.cc
                        [&](const CreateCatalogEntry& c) { return DecideCatalog(state, c); },
                        [&](const UpdateCatalogEntry& c) { return DecideCatalog(state, c); },
                        [&](const ArchiveCatalogEntry& c) { return DecideCatalog(state, c); },
                        [&](const SeedDefaultCatalog& c) { return DecideCatalog(state, c); },
                        // workflow (issue 12): sla_decide_directory.cc
                        [&](const SaveSlaPolicy& c) { return DecideSla(state, c); },
                        [&](const DeleteSlaPolicy& c) { return DecideSla(state, c); },
                        [&](const SetAutoClose& c) { return DecideSla(state, c); },
                        [&](const RecordQuotaAlert& c) { return DecideAccess(state, c); },  // mail out
                        [&](const ChangeEmailTemplate& c) { return DecideMail(state, c); },
                        // sign-in (account_decide.cc)
                        [&](const SetPassword& c) { return DecideAccount(state, c); },
                        [&](const IssuePasswordReset& c) { return DecideAccount(state, c); },
                        [&](const ResetPassword& c) { return DecideAccount(state, c); },
                        [&](const StartSession& c) { return DecideAccount(state, c); },
                        [&](const RefreshSession& c) { return DecideAccount(state, c); },
                        [&](const EndSession& c) { return DecideAccount(state, c); },
                        [&](const UpdateUser& c) { return DecideAccount(state, c); },
                    },
                    command);
}

TenantState EvolveTenant(TenantState state, const DomainEvent& event) {
  if (std::holds_alternative<TicketCreated>(event.payload)) ++state.tickets_created;
  const bool directory_event = VisitDirectoryEvent(event.payload, Overloaded{
                 [&](const TenantCreated& e) {
                   state.exists = true;
                   state.tenant_id = e.tenant_id;
                   state.name = e.name;
                   state.ticket_prefix = e.ticket_prefix;
                   state.slug = e.slug;
                 },
                 [&](const UserCreated& e) {
                   state.users[e.user_id] =
                       User{e.user_id, event.tenant_id, e.name, e.email, e.role, e.department};
                   state.user_by_email[Lowercase(e.email)] = e.user_id;
                 },
                 [&](const TokenIssued&) {},
                 [&](const AssetCreated& e) {
                   state.assets[e.asset_id] = Asset{e.asset_id, event.tenant_id, e.name, e.kind};
                 },
                 [&](const AssetDeleted& e) { state.assets.erase(e.asset_id); },
                 [&](const UserErased& e) {
                   auto user = state.users.find(e.user_id);
                   if (user == state.users.end()) return;
                   auto by_email = state.user_by_email.find(Lowercase(user->second.email));
                   if (by_email != state.user_by_email.end() && by_email->second == e.user_id)
                     state.user_by_email.erase(by_email);  // the address may be registered again
                   user->second.name = kErasedText;
                   user->second.email = kErasedText;
                   user->second.erased_at = event.at;
                   RevokeUserCredentials(state.accounts, e.user_id);
                   state.accounts.password_hash.erase(e.user_id);
                 },
                 [&](const AccountEvent& e) { EvolveTenantAccounts(state, event, e); },
                 [&](const SlaDirectoryEvent& e) { EvolveSlaSettings(state.sla, e); },
                 [&](const WorkflowEvent& e) { EvolveCatalog(state.catalog, e); },
                 [](const MailEvent&) {},  // mail out: templates are the mailer's to read
                 // access (issue 11): folded by EvolveAccess below
                 [](const PermissionGroupCreated&) {},
                 [](const PermissionGroupMemberAdded&) {},
                 [](const PermissionGroupMemberRemoved&) {},
                 [](const SettingsChanged&) {},
                 [](const LicenseChanged&) {},
                 [](const QuotaAlertRaised&) {},
                 [](const ApiKeyCreated&) {},
                 [](const ApiKeyRevoked&) {},
                 [](const ApiKeyUsage&) {},
                                                               });
  EvolveAccess(state.access, event);
  if (directory_event) ++state.version;
  return state;
}

std::string FormatTicketNumber(std::string_view prefix, std::int64_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(number));
  return std::string(prefix) + "-" + digits;
}

}  // namespace ticketd::domain

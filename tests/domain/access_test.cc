// The access commands of the directory (ACCESS.md): permission groups,
// settings and licences, max_agents, API keys; given events / when command /
// then events or error.
#include <gtest/gtest.h>

#include "fixtures.h"

namespace ticketd::domain::testing {
namespace {

const Actors& A = TheActors();
using Decision = Result<std::vector<DomainEvent>, DomainError>;
constexpr Id kItsm = MakeId(70);
constexpr Id kAgentUser = MakeId(3);  // TheActors().agent
constexpr Id kReporterUser = MakeId(1);

TenantState Apply(TenantState state, const Decision& r) {
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return state;
  for (const auto& e : r.value()) state = EvolveTenant(std::move(state), e);
  return state;
}
TenantState Decide(TenantState state, const DirectoryCommand& command) {
  Decision r = DecideDirectory(state, command, {});
  return Apply(std::move(state), r);
}

// A tenant with a reporter (id 1) and an agent (id 3) like TheActors().
TenantState Tenant() {
  CreateTenant create{A.platform, 1, kTenant, "Acme", ""};
  create.itsm_agent_group_id = kItsm;
  TenantState t = Decide(InitialTenantState(), create);
  t = Decide(t, CreateUser{A.platform, 2, kTenant, kReporterUser, "Rita", "rita@example.com", Role::kReporter, ""});
  return Decide(t, CreateUser{A.platform, 3, kTenant, kAgentUser, "Abe", "abe@example.com", Role::kAgent, ""});
}

TenantState Licensed(TenantState t, std::optional<std::int64_t> max_agents) {
  ChangeLicense license{A.platform, 4, kTenant};
  license.quotas = {{Quota::kMaxAgents, max_agents}};
  return Decide(std::move(t), license);
}

TEST(AccessDirectory, NewTenantGetsTheItsmAgentGroupAndTheDefaults) {
  TenantState t = Tenant();
  ASSERT_TRUE(t.access.groups.contains(kItsm));
  const PermissionGroup& itsm = t.access.groups.at(kItsm);
  EXPECT_EQ(itsm.name, "ITSM Agent");
  EXPECT_TRUE(itsm.system);
  EXPECT_EQ(itsm.permissions, (PermissionSet{Permission::kTicketsCreate, Permission::kTicketsManage,
                                              Permission::kTicketsClose, Permission::kTicketsReadAll}));
  for (const FeatureRow& row : kFeatures) {
    EXPECT_TRUE(t.access.licensed.Has(row.feature)) << row.name;
    EXPECT_EQ(t.access.Enabled(row.feature), row.enabled_by_default) << row.name;
  }
  EXPECT_FALSE(t.access.Enabled(Feature::kPublicApi));
  EXPECT_FALSE(t.access.Enabled(Feature::kEmailTemplates));
  for (const auto& limit : t.access.quotas.limits) EXPECT_FALSE(limit.has_value());
}

TEST(AccessDirectory, GroupCommandsNeedUsersManage) {
  TenantState t = Tenant();
  for (const Actor* actor : {&A.reporter, &A.agent, &A.manager, &A.it_reporter}) {
    Decision r = DecideDirectory(t, CreatePermissionGroup{*actor, 5, kTenant, MakeId(71), "G", {}}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
    EXPECT_EQ(r.error().permission, Permission::kUsersManage);
    Decision m = DecideDirectory(t, SetGroupMembership{*actor, 5, kTenant, kItsm, kReporterUser, true}, {});
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().permission, Permission::kUsersManage);
  }
  Decision foreign = DecideDirectory(t, CreatePermissionGroup{A.foreign_admin, 5, kTenant, MakeId(71), "G", {}}, {});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
}

TEST(AccessDirectory, MembershipAddsThePermissionsAndIsIdempotent) {
  TenantState t = Tenant();
  const User& rita = t.users.at(kReporterUser);
  EXPECT_FALSE(EffectivePermissions(t.access, rita).Has(Permission::kTicketsManage));
  t = Decide(t, SetGroupMembership{A.admin, 5, kTenant, kItsm, kReporterUser, true});
  EXPECT_TRUE(EffectivePermissions(t.access, t.users.at(kReporterUser)).Has(Permission::kTicketsManage));
  EXPECT_TRUE(Can(ActorOf(t.access, t.users.at(kReporterUser)), Permission::kTicketsClose));
  Decision again = DecideDirectory(t, SetGroupMembership{A.admin, 6, kTenant, kItsm, kReporterUser, true}, {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value().empty());
  t = Decide(t, SetGroupMembership{A.admin, 7, kTenant, kItsm, kReporterUser, false});
  EXPECT_FALSE(EffectivePermissions(t.access, t.users.at(kReporterUser)).Has(Permission::kTicketsManage));
  Decision unknown_user = DecideDirectory(t, SetGroupMembership{A.admin, 8, kTenant, kItsm, MakeId(99), true}, {});
  ASSERT_FALSE(unknown_user.ok());
  EXPECT_EQ(unknown_user.error().code, ErrorCode::kNotFound);
  Decision unknown_group = DecideDirectory(t, SetGroupMembership{A.admin, 8, kTenant, MakeId(98), kReporterUser, true}, {});
  ASSERT_FALSE(unknown_group.ok());
  EXPECT_EQ(unknown_group.error().code, ErrorCode::kNotFound);
}

// users:manage through a group does not make its holder an admin: they grant
// only what they hold.
TEST(AccessDirectory, NobodyGrantsWhatTheyDoNotHold) {
  TenantState t = Tenant();
  Actor user_manager = A.reporter;
  user_manager.group_permissions = {Permission::kUsersManage};
  Decision group = DecideDirectory(
      t, CreatePermissionGroup{user_manager, 5, kTenant, MakeId(71), "Power", {Permission::kSettingsManage}}, {});
  ASSERT_FALSE(group.ok());
  EXPECT_EQ(group.error().permission, Permission::kSettingsManage);
  Decision join = DecideDirectory(t, SetGroupMembership{user_manager, 5, kTenant, kItsm, kReporterUser, true}, {});
  ASSERT_FALSE(join.ok());
  EXPECT_EQ(join.error().permission, Permission::kTicketsManage);
  Decision admin = DecideDirectory(
      t, CreateUser{user_manager, 5, kTenant, MakeId(32), "Eve", "eve@example.com", Role::kAdmin, ""}, {});
  ASSERT_FALSE(admin.ok());
  EXPECT_EQ(admin.error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(DecideDirectory(
                  t, CreateUser{user_manager, 5, kTenant, MakeId(33), "Rob", "rob@example.com", Role::kReporter, ""}, {})
                  .ok());
  EXPECT_TRUE(
      DecideDirectory(t, CreatePermissionGroup{user_manager, 5, kTenant, MakeId(71), "Same", {Permission::kUsersManage}}, {})
          .ok());
}

TEST(AccessDirectory, GroupNamesAreUniqueIgnoringCase) {
  TenantState t = Tenant();
  Decision r = DecideDirectory(t, CreatePermissionGroup{A.admin, 5, kTenant, MakeId(71), "itsm agent", {}}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNameTaken);
}

TEST(AccessDirectory, MaxAgentsCountsHoldersOfTicketsManage) {
  TenantState t = Licensed(Tenant(), 1);  // the agent is the one
  EXPECT_EQ(CountAgents(t.users, t.access), 1);
  CreateUser agent2{A.admin, 5, kTenant, MakeId(30), "Al", "al@example.com", Role::kAgent, ""};
  Decision r = DecideDirectory(t, agent2, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kQuotaExceeded);
  EXPECT_EQ(r.error().quota, "max_agents");
  EXPECT_EQ(r.error().limit, 1);
  EXPECT_EQ(r.error().current, 1);
  DomainEvent alert = QuotaAlertEvent(r.error(), kTenant, A.admin, 5);
  TenantState alerted = EvolveTenant(t, alert);
  ASSERT_EQ(alerted.access.alerts.size(), 1u);
  EXPECT_EQ(alerted.access.alerts[0], (QuotaAlert{Quota::kMaxAgents, 1, 1, 5}));

  CreateUser reporter2{A.admin, 5, kTenant, MakeId(31), "Ro", "ro@example.com", Role::kReporter, ""};
  EXPECT_TRUE(DecideDirectory(t, reporter2, {}).ok()) << "reporters do not count";
  Decision member = DecideDirectory(t, SetGroupMembership{A.admin, 6, kTenant, kItsm, kReporterUser, true}, {});
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.error().code, ErrorCode::kQuotaExceeded);
  EXPECT_FALSE(CheckAgentQuota(t, kAgentUser, RolePermissions(Role::kAdmin, false)).has_value())
      << "promoting an existing agent adds no agent";
  std::optional<DomainError> promote = CheckAgentQuotaForRole(t, kReporterUser, Role::kReporter, "IT");
  ASSERT_TRUE(promote.has_value()) << "moving a reporter to the IT department makes an agent";
  EXPECT_EQ(promote->code, ErrorCode::kQuotaExceeded);
  EXPECT_FALSE(CheckAgentQuotaForRole(t, kReporterUser, Role::kManager, "").has_value());
  EXPECT_TRUE(DecideDirectory(Licensed(t, std::nullopt), agent2, {}).ok()) << "null: unlimited";
}

TEST(AccessDirectory, SettingsNeedALicenceAndWithdrawingOneSwitchesItOff) {
  TenantState t = Tenant();
  ChangeSettings enable{A.admin, 5, kTenant, {{Feature::kPublicApi, true}}};
  Decision agent_tries = DecideDirectory(t, ChangeSettings{A.agent, 5, kTenant, {{Feature::kPublicApi, true}}}, {});
  ASSERT_FALSE(agent_tries.ok());
  EXPECT_EQ(agent_tries.error().permission, Permission::kSettingsManage);
  t = Decide(t, enable);
  EXPECT_TRUE(t.access.Enabled(Feature::kPublicApi));

  ChangeLicense withdraw{A.platform, 6, kTenant, {{Feature::kPublicApi, false}}};
  Decision tenant_admin_tries = DecideDirectory(t, ChangeLicense{A.admin, 6, kTenant, {{Feature::kPublicApi, false}}}, {});
  ASSERT_FALSE(tenant_admin_tries.ok());
  EXPECT_EQ(tenant_admin_tries.error().code, ErrorCode::kForbidden);
  t = Decide(t, withdraw);
  EXPECT_FALSE(t.access.Enabled(Feature::kPublicApi)) << "withdrawn -> off";
  Decision again = DecideDirectory(t, enable, {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotLicensed);
  EXPECT_EQ(again.error().field, "public_api");
  Decision nothing = DecideDirectory(t, ChangeSettings{A.admin, 7, kTenant, {{Feature::kPublicApi, false}}}, {});
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing.value().empty()) << "no change, no event";
}

TEST(AccessDirectory, ApiKeysAreCreatedRevokedAndCountedByRunningTotals) {
  TenantState t = Tenant();
  CreateApiKey create{A.admin, 5, kTenant, MakeId(80), "ci", {ApiScope::kTicketsRead}, {}, std::nullopt};
  Decision by_agent = DecideDirectory(t, CreateApiKey{A.agent, 5, kTenant, MakeId(80), "ci", {ApiScope::kTicketsRead}}, {});
  ASSERT_FALSE(by_agent.ok());
  EXPECT_EQ(by_agent.error().permission, Permission::kSettingsManage);
  for (CreateApiKey bad : {CreateApiKey{A.admin, 5, kTenant, MakeId(80), "ci", {}},
                           CreateApiKey{A.admin, 5, kTenant, MakeId(80), "", {ApiScope::kTicketsRead}},
                           CreateApiKey{A.admin, 5, kTenant, MakeId(80), "ci", {ApiScope::kTicketsRead}, {}, 5}}) {
    Decision r = DecideDirectory(t, bad, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  }
  t = Decide(t, create);
  ASSERT_TRUE(t.access.api_keys.contains(MakeId(80)));
  EXPECT_EQ(t.access.api_keys.at(MakeId(80)).created_by, A.admin.user_id);

  RecordApiKeyUsage usage{A.platform, 6, kTenant, {ApiKeyUsage{MakeId(80), 100, 7, 6}}};
  t = Decide(t, usage);
  EXPECT_EQ(t.access.api_keys.at(MakeId(80)).requests_by_day.at(100), 7);
  Decision stale = DecideDirectory(t, RecordApiKeyUsage{A.platform, 7, kTenant, {ApiKeyUsage{MakeId(80), 100, 5, 6}}}, {});
  ASSERT_TRUE(stale.ok());
  EXPECT_TRUE(stale.value().empty()) << "a lower running total changes nothing";
  EXPECT_FALSE(DecideDirectory(t, RecordApiKeyUsage{A.admin, 7, kTenant, {}}, {}).ok()) << "the server only";

  t = Decide(t, RevokeApiKey{A.admin, 8, kTenant, MakeId(80)});
  EXPECT_TRUE(t.access.api_keys.at(MakeId(80)).revoked);
  Decision twice = DecideDirectory(t, RevokeApiKey{A.admin, 9, kTenant, MakeId(80)}, {});
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ticketd::domain::testing

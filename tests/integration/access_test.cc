// ACCESS.md against the real binary: permissions and groups, tenant settings,
// licences, quotas and alerts (api_keys_test.cc: API keys and /public/v1;
// access_restart_test.cc: all of it across restarts).
#include "api_fixture.h"

namespace ticketd::integration {
namespace {

class AccessTest : public TenantTest {
 protected:
  std::string ItsmAgentGroup() {
    HttpResponse groups = Get(tenant_.admin.token, "/api/v1/permission-groups");
    EXPECT_TRUE(HasStatus(groups, 200));
    Json json(groups.body);
    for (element group : GetArray(json.root(), "items"))
      if (GetString(group, "name") == "ITSM Agent") return GetString(group, "id");
    ADD_FAILURE() << "no ITSM Agent group in " << groups.body;
    return "";
  }
  HttpResponse SetMember(const std::string& group, const User& user, bool member) {
    return Call(member ? "PUT" : "DELETE", tenant_.admin.token,
                "/api/v1/permission-groups/" + group + "/members/" + user.id);
  }
  HttpResponse License(std::string_view tenant_id, std::string_view body) {
    return Patch(kAdminToken, "/api/v1/tenants/" + std::string(tenant_id) + "/license", body);
  }
};

TEST_F(AccessTest, EveryTenantHasTheItsmAgentSystemGroup) {
  HttpResponse groups = Get(tenant_.admin.token, "/api/v1/permission-groups");
  ASSERT_TRUE(HasStatus(groups, 200));
  Json json(groups.body);
  std::vector<element> items = GetArray(json.root(), "items");
  ASSERT_EQ(items.size(), 1u) << groups.body;
  EXPECT_EQ(GetString(items[0], "name"), "ITSM Agent");
  EXPECT_EQ(GetBool(items[0], "system"), true);
  EXPECT_EQ(GetStrings(items[0], "permissions"),
            (std::vector<std::string>{"tickets:create", "tickets:manage", "tickets:close", "tickets:read_all"}));
  EXPECT_TRUE(GetStrings(items[0], "member_ids").empty());
}

TEST_F(AccessTest, GroupRoutesNeedUsersManageAndNameThePermission) {
  for (const User* user : {&agent_, &manager_, &reporter_}) {
    HttpResponse refused = Get(user->token, "/api/v1/permission-groups");
    ASSERT_TRUE(IsError(refused, 403, "FORBIDDEN")) << user->role;
    EXPECT_EQ(GetString(Json(refused.body).root(), "error.details.permission"), "users:manage");
    EXPECT_TRUE(IsError(Post(user->token, "/api/v1/permission-groups", R"({"name":"x","permissions":[]})"), 403,
                        "FORBIDDEN"));
  }
  EXPECT_TRUE(IsError(Get(kAdminToken, "/api/v1/permission-groups"), 403, "FORBIDDEN"));
}

TEST_F(AccessTest, CreateGroupValidatesAndRefusesDuplicateNames) {
  HttpResponse created = Post(tenant_.admin.token, "/api/v1/permission-groups",
                              R"({"name":"Reporting","permissions":["reports:read","tickets:read_all"]})");
  ASSERT_TRUE(HasStatus(created, 201));
  Json json(created.body);
  EXPECT_EQ(GetString(json.root(), "name"), "Reporting");
  EXPECT_EQ(GetStrings(json.root(), "permissions"),
            (std::vector<std::string>{"tickets:read_all", "reports:read"}));
  EXPECT_EQ(GetBool(json.root(), "system"), false);
  EXPECT_TRUE(GetStrings(json.root(), "member_ids").empty());
  EXPECT_TRUE(IsError(Post(tenant_.admin.token, "/api/v1/permission-groups",
                           R"({"name":"reporting","permissions":[]})"),
                      409, "NAME_TAKEN"));
  for (std::string_view body : {R"({"name":"x","permissions":["tickets:fly"]})", R"({"name":"x"})",
                                R"({"name":"x","permissions":"reports:read"})", R"({"name":"x","permissions":[1]})",
                                R"({"permissions":[]})", R"({"name":"","permissions":[]})"}) {
    HttpResponse bad = Post(tenant_.admin.token, "/api/v1/permission-groups", body);
    EXPECT_TRUE(IsError(bad, 400, "VALIDATION_ERROR")) << body;
  }
}

TEST_F(AccessTest, MembershipTakesEffectOnTheMembersNextRequest) {
  std::string ticket = CreateTicket(reporter_);
  const std::string claim = "/api/v1/tickets/" + ticket + "/claim";
  HttpResponse refused = Post(reporter_.token, claim, "");
  ASSERT_TRUE(IsError(refused, 403, "FORBIDDEN"));
  EXPECT_EQ(GetString(Json(refused.body).root(), "error.details.permission"), "tickets:manage");

  std::string group = ItsmAgentGroup();
  ASSERT_TRUE(HasStatus(SetMember(group, reporter_, true), 204));
  ASSERT_TRUE(HasStatus(SetMember(group, reporter_, true), 204)) << "adding twice is idempotent";
  EXPECT_TRUE(HasStatus(Post(reporter_.token, claim, ""), 200));
  EXPECT_TRUE(HasStatus(Get(reporter_.token, "/api/v1/users"), 200)) << "tickets:read_all lists users";
  Json groups(Get(tenant_.admin.token, "/api/v1/permission-groups").body);
  EXPECT_EQ(GetStrings(GetArray(groups.root(), "items").at(0), "member_ids"), std::vector<std::string>{reporter_.id});

  ASSERT_TRUE(HasStatus(SetMember(group, reporter_, false), 204));
  ASSERT_TRUE(HasStatus(SetMember(group, reporter_, false), 204)) << "removing a non-member is idempotent";
  EXPECT_TRUE(IsError(Post(reporter_.token, "/api/v1/tickets/" + ticket + "/assignment",
                           R"({"assignee_id":null})"),
                      403, "FORBIDDEN"));
}

TEST_F(AccessTest, MembershipOfUnknownOrForeignGroupsAndUsersIsNotFound) {
  std::string group = ItsmAgentGroup();
  Tenant other = CreateTenant();
  User stranger = CreateUser(other, "reporter");
  EXPECT_TRUE(IsError(SetMember(group, stranger, true), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Call("PUT", other.admin.token, "/api/v1/permission-groups/" + group + "/members/" + stranger.id),
                      404, "NOT_FOUND"))
      << "another tenant's group";
  EXPECT_TRUE(IsError(Call("PUT", tenant_.admin.token, "/api/v1/permission-groups/not-a-uuid/members/" + agent_.id),
                      404, "NOT_FOUND"));
}

TEST_F(AccessTest, RoleTableHoldsForManagersAndReporters) {
  std::string ticket = CreateTicket(reporter_);
  const std::string path = "/api/v1/tickets/" + ticket;
  EXPECT_TRUE(HasStatus(Patch(manager_.token, path, R"({"priority":"urgent"})"), 200));
  HttpResponse status = Post(manager_.token, path + "/status", R"({"status":"in_progress"})");
  ASSERT_TRUE(IsError(status, 403, "FORBIDDEN"));
  EXPECT_EQ(GetString(Json(status.body).root(), "error.details.permission"), "tickets:manage");
  HttpResponse priority = Patch(reporter_.token, path, R"({"priority":"low"})");
  ASSERT_TRUE(IsError(priority, 403, "FORBIDDEN"));
  EXPECT_EQ(GetString(Json(priority.body).root(), "error.details.permission"), "tickets:prioritize");
  EXPECT_TRUE(IsError(Get(reporter_.token, "/api/v1/analytics"), 403, "FORBIDDEN"));
  EXPECT_TRUE(HasStatus(Get(manager_.token, "/api/v1/analytics"), 200));
}

TEST_F(AccessTest, SettingsDefaultsAreReadableByEveryUserOfTheTenant) {
  for (const User* user : {&reporter_, &agent_, &manager_, &tenant_.admin}) {
    HttpResponse settings = Get(user->token, "/api/v1/settings");
    ASSERT_TRUE(HasStatus(settings, 200)) << user->role;
    Json json(settings.body);
    EXPECT_EQ(GetBool(json.root(), "features.agent_portal"), true);
    EXPECT_EQ(GetBool(json.root(), "features.end_user_portal"), true);
    EXPECT_EQ(GetBool(json.root(), "features.asset_integration"), true);
    EXPECT_EQ(GetBool(json.root(), "features.email_notifications"), true);
    EXPECT_EQ(GetBool(json.root(), "features.email_templates"), false);
    EXPECT_EQ(GetBool(json.root(), "features.public_api"), false);
    EXPECT_TRUE(IsNull(json.root(), "quotas.max_agents"));
    EXPECT_TRUE(IsNull(json.root(), "quotas.max_emails_month"));
    EXPECT_EQ(GetInt(json.root(), "usage.agents"), 2) << "the agent and the admin hold tickets:manage";
    EXPECT_EQ(GetInt(json.root(), "usage.emails_this_month"), 0);
  }
  EXPECT_TRUE(IsError(Get(kAdminToken, "/api/v1/settings"), 403, "FORBIDDEN"));
}

TEST_F(AccessTest, PatchSettingsNeedsSettingsManageAndAValidBody) {
  HttpResponse refused = Patch(agent_.token, "/api/v1/settings", R"({"features":{"public_api":true}})");
  ASSERT_TRUE(IsError(refused, 403, "FORBIDDEN"));
  EXPECT_EQ(GetString(Json(refused.body).root(), "error.details.permission"), "settings:manage");
  HttpResponse changed =
      Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"public_api":true,"agent_portal":false}})");
  ASSERT_TRUE(HasStatus(changed, 200));
  Json json(changed.body);
  EXPECT_EQ(GetBool(json.root(), "features.public_api"), true);
  EXPECT_EQ(GetBool(json.root(), "features.agent_portal"), false);
  EXPECT_EQ(GetBool(json.root(), "features.end_user_portal"), true) << "untouched";
  for (std::string_view body : {R"({"features":{"teleport":true}})", R"({"features":{"public_api":"yes"}})",
                                R"({"features":[]})", R"({"quotas":{}})", "not json"}) {
    EXPECT_TRUE(IsError(Patch(tenant_.admin.token, "/api/v1/settings", body), 400, "VALIDATION_ERROR")) << body;
  }
}

TEST_F(AccessTest, LicenceIsForThePlatformAdminAndWithdrawingSwitchesOff) {
  const std::string path = "/api/v1/tenants/" + tenant_.id + "/license";
  EXPECT_TRUE(IsError(Patch(tenant_.admin.token, path, R"({"features":{"public_api":true}})"), 403, "FORBIDDEN"));
  HttpResponse licence = License(tenant_.id, R"({"features":{"email_notifications":false,"email_templates":false},
                                               "quotas":{"max_emails_month":500}})");
  ASSERT_TRUE(HasStatus(licence, 200));
  Json json(licence.body);
  EXPECT_EQ(GetBool(json.root(), "features.email_notifications"), false);
  EXPECT_EQ(GetBool(json.root(), "features.public_api"), true);
  EXPECT_EQ(GetInt(json.root(), "quotas.max_emails_month"), 500);
  EXPECT_TRUE(IsNull(json.root(), "quotas.max_agents"));

  Json settings(Get(reporter_.token, "/api/v1/settings").body);
  EXPECT_EQ(GetBool(settings.root(), "features.email_notifications"), false) << "withdrawn -> switched off";
  EXPECT_EQ(GetInt(settings.root(), "quotas.max_emails_month"), 500);
  HttpResponse unlicensed =
      Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"email_templates":true}})");
  ASSERT_TRUE(IsError(unlicensed, 403, "NOT_LICENSED"));
  EXPECT_EQ(GetString(Json(unlicensed.body).root(), "error.details.feature"), "email_templates");
  EXPECT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"email_templates":false}})"),
                        200))
      << "switching off an unlicensed feature is fine";

  EXPECT_TRUE(IsError(License("00000000-0000-4000-8000-000000000000", "{}"), 404, "NOT_FOUND"));
  for (std::string_view body : {R"({"quotas":{"max_agents":-1}})", R"({"quotas":{"max_agents":"5"}})",
                                R"({"quotas":{"max_seats":5}})", R"({"features":{"x":true}})", R"({"plan":"gold"})"}) {
    EXPECT_TRUE(IsError(License(tenant_.id, body), 400, "VALIDATION_ERROR")) << body;
  }
}

TEST_F(AccessTest, MaxAgentsRefusesNewAgentsAndRecordsAnAlert) {
  ASSERT_TRUE(HasStatus(License(tenant_.id, R"({"quotas":{"max_agents":2}})"), 200));
  HttpResponse create = Post(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/users",
                             R"({"name":"Third Agent","email":"third@example.com","role":"agent"})");
  ASSERT_TRUE(IsError(create, 409, "QUOTA_EXCEEDED"));
  Json error(create.body);
  EXPECT_EQ(GetString(error.root(), "error.details.quota"), "max_agents");
  EXPECT_EQ(GetInt(error.root(), "error.details.limit"), 2);
  EXPECT_EQ(GetInt(error.root(), "error.details.current"), 2);
  EXPECT_TRUE(IsError(Post(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/users",
                           R"({"name":"IT Person","email":"it@example.com","role":"reporter","department":"IT"})"),
                      409, "QUOTA_EXCEEDED"))
      << "the IT department holds tickets:manage too";
  EXPECT_TRUE(HasStatus(Post(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/users",
                             R"({"name":"Plain","email":"plain@example.com","role":"reporter"})"),
                        201))
      << "reporters do not count";
  EXPECT_TRUE(IsError(SetMember(ItsmAgentGroup(), reporter_, true), 409, "QUOTA_EXCEEDED"));

  HttpResponse alerts = Get(kAdminToken, "/api/v1/admin/alerts");
  ASSERT_TRUE(HasStatus(alerts, 200));
  int mine = 0;
  Json alerts_json(alerts.body);
  for (element alert : GetArray(alerts_json.root(), "items")) {
    if (GetString(alert, "tenant_id") != tenant_.id) continue;
    ++mine;
    EXPECT_EQ(GetString(alert, "quota"), "max_agents");
    EXPECT_EQ(GetInt(alert, "limit"), 2);
    EXPECT_FALSE(GetString(alert, "at").empty());
  }
  EXPECT_EQ(mine, 3) << alerts.body;
  EXPECT_TRUE(IsError(Get(tenant_.admin.token, "/api/v1/admin/alerts"), 403, "FORBIDDEN"));

  ASSERT_TRUE(HasStatus(License(tenant_.id, R"({"quotas":{"max_agents":null}})"), 200));
  EXPECT_TRUE(HasStatus(SetMember(ItsmAgentGroup(), reporter_, true), 204)) << "unlimited again";
}

TEST_F(AccessTest, AssetIntegrationOffIgnoresAssetIds) {
  std::string asset = CreateAsset(tenant_.admin, "Laptop 7");
  ASSERT_TRUE(HasStatus(
      Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"asset_integration":false}})"), 200));
  std::string ticket = CreateTicket(agent_, R"({"subject":"Broken","description":"d","asset_id":")" + asset + "\"}");
  Json created(GetTicket(agent_, ticket).body);
  EXPECT_TRUE(IsNull(created.root(), "asset_id")) << "ignored on create";
  ASSERT_TRUE(HasStatus(Patch(agent_.token, "/api/v1/tickets/" + ticket, R"({"asset_id":")" + asset + "\"}"), 200));
  EXPECT_TRUE(IsNull(Json(GetTicket(agent_, ticket).body).root(), "asset_id")) << "ignored on PATCH";
  ASSERT_TRUE(HasStatus(
      Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"asset_integration":true}})"), 200));
  ASSERT_TRUE(HasStatus(Patch(agent_.token, "/api/v1/tickets/" + ticket, R"({"asset_id":")" + asset + "\"}"), 200));
  EXPECT_EQ(GetString(Json(GetTicket(agent_, ticket).body).root(), "asset_id"), asset);
}

TEST_F(AccessTest, TenantsDoNotSeeEachOthersAccessState) {
  Tenant other = CreateTenant();
  ASSERT_TRUE(HasStatus(Post(tenant_.admin.token, "/api/v1/permission-groups",
                             R"({"name":"Only here","permissions":["reports:read"]})"),
                        201));
  ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"public_api":true}})"), 200));
  Json groups(Get(other.admin.token, "/api/v1/permission-groups").body);
  EXPECT_EQ(GetArray(groups.root(), "items").size(), 1u) << "only its own ITSM Agent";
  EXPECT_EQ(GetBool(Json(Get(other.admin.token, "/api/v1/settings").body).root(), "features.public_api"), false);
}

}  // namespace
}  // namespace ticketd::integration

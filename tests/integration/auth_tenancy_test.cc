// End to end: bearer tokens, tenants, users, assets and tenant isolation
// (contract: "Auth and tenancy").
#include <algorithm>
#include <string>
#include <vector>

#include "api_fixture.h"

namespace ticketd::integration {
namespace {

class AuthTenancyTest : public SharedServerTest {
 protected:
  // The ids of every item of a `{items:[...]}` answer.
  static std::vector<std::string> ItemIds(const HttpResponse& response) {
    std::vector<std::string> ids;
    Json json(response.body);
    for (element item : GetArray(json.root(), "items")) ids.push_back(GetString(item, "id"));
    return ids;
  }
  static bool Contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }
};

TEST_F(AuthTenancyTest, MissingUnknownOrMalformedTokenIs401) {
  EXPECT_TRUE(IsError(http().Request("GET", "/api/v1/tickets"), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Get("no-such-token", "/api/v1/tickets"), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Post("", "/api/v1/tenants", R"({"name":"X"})"), 401, "UNAUTHENTICATED"));
  const std::vector<std::string> malformed = {
      "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", std::string("Bearer ") + kAdminToken + "x",
      kAdminToken};
  for (const std::string& value : malformed) {
    SCOPED_TRACE("Authorization: " + value);
    HttpResponse response = http().Request("GET", "/api/v1/tickets", {}, {{"Authorization", value}});
    EXPECT_TRUE(IsError(response, 401, "UNAUTHENTICATED"));
  }
}

TEST_F(AuthTenancyTest, PlatformAdminCreatesTenantsWithDefaultOrCustomPrefix) {
  HttpResponse response = Post(kAdminToken, "/api/v1/tenants", R"({"name":"Default Prefix Ltd"})");
  ASSERT_TRUE(HasStatus(response, 201));
  Json json(response.body);
  EXPECT_FALSE(GetString(json.root(), "id").empty());
  EXPECT_EQ(GetString(json.root(), "name"), "Default Prefix Ltd");
  EXPECT_EQ(GetString(json.root(), "ticket_prefix"), "TKT");

  Tenant custom = CreateTenant("ACME");
  EXPECT_EQ(custom.prefix, "ACME");
  HttpResponse ticket =
      Post(custom.admin.token, "/api/v1/tickets", R"({"subject":"VPN down","description":""})");
  ASSERT_TRUE(HasStatus(ticket, 201));
  EXPECT_EQ(GetString(Json(ticket.body).root(), "number"), "ACME-000001");
}

TEST_F(AuthTenancyTest, OnlyThePlatformAdminCreatesTenants) {
  Tenant tenant = CreateTenant();
  EXPECT_TRUE(IsError(Post(tenant.admin.token, "/api/v1/tenants", R"({"name":"Rogue"})"), 403, "FORBIDDEN"));
}

TEST_F(AuthTenancyTest, CreatedUserHasEveryFieldAndATokenThatWorks) {
  Tenant tenant = CreateTenant();
  HttpResponse response =
      Post(tenant.admin.token, "/api/v1/tenants/" + tenant.id + "/users",
           R"({"name":"Ada Agent","email":"ada@example.com","role":"agent","department":"Support"})");
  ASSERT_TRUE(HasStatus(response, 201));
  Json json(response.body);
  EXPECT_FALSE(GetString(json.root(), "id").empty());
  EXPECT_EQ(GetString(json.root(), "name"), "Ada Agent");
  EXPECT_EQ(GetString(json.root(), "email"), "ada@example.com");
  EXPECT_EQ(GetString(json.root(), "role"), "agent");
  EXPECT_EQ(GetString(json.root(), "department"), "Support");
  std::string token = GetString(json.root(), "token");
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(HasStatus(Get(token, "/api/v1/tickets"), 200));

  // Without a department the field is present and null.
  HttpResponse plain = Post(tenant.admin.token, "/api/v1/tenants/" + tenant.id + "/users",
                            R"({"name":"Rita","email":"rita@example.com","role":"reporter"})");
  ASSERT_TRUE(HasStatus(plain, 201));
  EXPECT_TRUE(IsNull(Json(plain.body).root(), "department"));
}

TEST_F(AuthTenancyTest, TokenIsShownOnceAndNeverListed) {
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  HttpResponse list = Get(agent.token, "/api/v1/users");
  ASSERT_TRUE(HasStatus(list, 200));
  Json json(list.body);
  ASSERT_FALSE(GetArray(json.root(), "items").empty());
  EXPECT_EQ(list.body.find(agent.token), std::string::npos) << "a token leaked into GET /users";
  for (element item : GetArray(json.root(), "items")) EXPECT_FALSE(Has(item, "token"));
}

TEST_F(AuthTenancyTest, UserListHasTheContractFieldsOfTheCallersTenantOnly) {
  Tenant tenant = CreateTenant();
  Tenant other = CreateTenant();
  User agent = CreateUser(tenant, "agent", "Support");
  User manager = CreateUser(tenant, "manager");
  User stranger = CreateUser(other, "agent");
  for (const User* caller : {&agent, &manager, &tenant.admin}) {
    SCOPED_TRACE("as " + caller->role);
    HttpResponse response = Get(caller->token, "/api/v1/users");
    ASSERT_TRUE(HasStatus(response, 200));
    Json json(response.body);
    std::vector<std::string> ids;
    for (element item : GetArray(json.root(), "items")) {
      ids.push_back(GetString(item, "id"));
      for (const char* field : {"id", "name", "email", "role", "department"})
        EXPECT_TRUE(Has(item, field)) << field;
      if (GetString(item, "id") == agent.id) {
        EXPECT_EQ(GetString(item, "email"), agent.email);
        EXPECT_EQ(GetString(item, "role"), "agent");
        EXPECT_EQ(GetString(item, "department"), "Support");
      }
    }
    EXPECT_EQ(ids.size(), 3u);
    EXPECT_TRUE(Contains(ids, agent.id));
    EXPECT_TRUE(Contains(ids, manager.id));
    EXPECT_TRUE(Contains(ids, tenant.admin.id));
    EXPECT_FALSE(Contains(ids, stranger.id));
  }
}

TEST_F(AuthTenancyTest, TenantAdminCreatesUsersOnlyInItsOwnTenant) {
  Tenant mine = CreateTenant();
  Tenant theirs = CreateTenant();
  std::string body = R"({"name":"New","email":"new@example.com","role":"agent"})";
  EXPECT_TRUE(HasStatus(Post(mine.admin.token, "/api/v1/tenants/" + mine.id + "/users", body), 201));
  EXPECT_TRUE(
      IsError(Post(theirs.admin.token, "/api/v1/tenants/" + mine.id + "/users", body), 404, "NOT_FOUND"));
}

TEST_F(AuthTenancyTest, ReportersAndAgentsCannotManageUsers) {
  Tenant tenant = CreateTenant();
  User reporter = CreateUser(tenant, "reporter");
  User agent = CreateUser(tenant, "agent");
  EXPECT_TRUE(IsError(Get(reporter.token, "/api/v1/users"), 403, "FORBIDDEN"));
  std::string body = R"({"name":"Sneaky","email":"sneaky@example.com","role":"admin"})";
  EXPECT_TRUE(
      IsError(Post(reporter.token, "/api/v1/tenants/" + tenant.id + "/users", body), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(Post(agent.token, "/api/v1/tenants/" + tenant.id + "/users", body), 403, "FORBIDDEN"));
}

TEST_F(AuthTenancyTest, EmailIsUniquePerTenantIgnoringCase) {
  Tenant tenant = CreateTenant();
  Tenant other = CreateTenant();
  std::string path = "/api/v1/tenants/" + tenant.id + "/users";
  EXPECT_TRUE(
      HasStatus(Post(kAdminToken, path, R"({"name":"A","email":"Same@Example.com","role":"agent"})"), 201));
  EXPECT_TRUE(IsError(Post(kAdminToken, path, R"({"name":"B","email":"same@example.COM","role":"agent"})"),
                      409, "EMAIL_TAKEN"));
  EXPECT_TRUE(HasStatus(Post(kAdminToken, "/api/v1/tenants/" + other.id + "/users",
                             R"({"name":"C","email":"same@example.com","role":"agent"})"),
                        201));
}

TEST_F(AuthTenancyTest, AssetsAreCreatedListedAndDeleted) {
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  User manager = CreateUser(tenant, "manager");
  User reporter = CreateUser(tenant, "reporter");
  HttpResponse created =
      Post(tenant.admin.token, "/api/v1/assets", R"({"name":"ThinkPad 42","kind":"laptop"})");
  ASSERT_TRUE(HasStatus(created, 201));
  Json json(created.body);
  std::string id = GetString(json.root(), "id");
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(GetString(json.root(), "name"), "ThinkPad 42");
  EXPECT_EQ(GetString(json.root(), "kind"), "laptop");
  HttpResponse no_kind = Post(tenant.admin.token, "/api/v1/assets", R"({"name":"Router"})");
  ASSERT_TRUE(HasStatus(no_kind, 201));
  EXPECT_TRUE(Has(Json(no_kind.body).root(), "kind"));

  for (const User* reader : {&agent, &manager, &tenant.admin}) {
    HttpResponse list = Get(reader->token, "/api/v1/assets");
    ASSERT_TRUE(HasStatus(list, 200)) << reader->role;
    EXPECT_TRUE(Contains(ItemIds(list), id)) << reader->role;
  }
  EXPECT_TRUE(IsError(Get(reporter.token, "/api/v1/assets"), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(Post(agent.token, "/api/v1/assets", R"({"name":"Nope"})"), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(Delete(agent.token, "/api/v1/assets/" + id), 403, "FORBIDDEN"));

  EXPECT_TRUE(HasStatus(Delete(tenant.admin.token, "/api/v1/assets/" + id), 204));
  EXPECT_FALSE(Contains(ItemIds(Get(agent.token, "/api/v1/assets")), id));
  EXPECT_TRUE(IsError(Delete(tenant.admin.token, "/api/v1/assets/" + id), 404, "NOT_FOUND"));
}

TEST_F(AuthTenancyTest, AssetInUseUntilItsTicketIsClosedThenUnlinked) {
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  std::string asset = CreateAsset(tenant.admin, "Shared printer");
  std::string ticket =
      CreateTicket(agent, R"({"subject":"Jammed","description":"Again","asset_id":")" + asset + R"("})");
  EXPECT_EQ(GetString(Json(GetTicket(agent, ticket).body).root(), "asset_id"), asset);

  EXPECT_TRUE(IsError(Delete(tenant.admin.token, "/api/v1/assets/" + asset), 409, "ASSET_IN_USE"));
  ASSERT_TRUE(HasStatus(ChangeStatus(agent, ticket, "resolved"), 200));
  EXPECT_TRUE(IsError(Delete(tenant.admin.token, "/api/v1/assets/" + asset), 409, "ASSET_IN_USE"))
      << "a resolved ticket is not closed yet";
  ASSERT_TRUE(HasStatus(ChangeStatus(agent, ticket, "closed"), 200));

  EXPECT_TRUE(HasStatus(Delete(tenant.admin.token, "/api/v1/assets/" + asset), 204));
  HttpResponse after = GetTicket(agent, ticket);
  ASSERT_TRUE(HasStatus(after, 200));
  EXPECT_TRUE(IsNull(Json(after.body).root(), "asset_id"));
}

TEST_F(AuthTenancyTest, ItDepartmentReporterHasAgentRights) {
  Tenant tenant = CreateTenant();
  User reporter = CreateUser(tenant, "reporter");
  User it_staff = CreateUser(tenant, "reporter", "IT");
  std::string ticket = CreateTicket(reporter);

  EXPECT_TRUE(HasStatus(GetTicket(it_staff, ticket), 200)) << "agents read every ticket";
  EXPECT_TRUE(HasStatus(Get(it_staff.token, "/api/v1/users"), 200));
  HttpResponse claimed = Post(it_staff.token, "/api/v1/tickets/" + ticket + "/claim", "");
  ASSERT_TRUE(HasStatus(claimed, 200));
  EXPECT_EQ(GetString(Json(claimed.body).root(), "assignee_id"), it_staff.id);
  EXPECT_TRUE(HasStatus(Post(it_staff.token, "/api/v1/tickets/" + ticket + "/comments",
                             R"({"body":"checking the logs","internal":true})"),
                        201));
  EXPECT_TRUE(HasStatus(ChangeStatus(it_staff, ticket, "resolved"), 200));
  // The same role without the department stays a reporter.
  std::string own = CreateTicket(reporter);
  EXPECT_TRUE(IsError(Post(reporter.token, "/api/v1/tickets/" + own + "/claim", ""), 403, "FORBIDDEN"));
}

TEST_F(AuthTenancyTest, AnotherTenantsTicketIsNotFound) {
  Tenant a = CreateTenant();
  Tenant b = CreateTenant();
  User agent_a = CreateUser(a, "agent");
  User agent_b = CreateUser(b, "agent");
  std::string ticket = CreateTicket(agent_a);
  std::string path = "/api/v1/tickets/" + ticket;
  EXPECT_TRUE(IsError(Get(agent_b.token, path), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(b.admin.token, path), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Patch(agent_b.token, path, R"({"priority":"urgent"})"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(ChangeStatus(agent_b, ticket, "closed"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Post(agent_b.token, path + "/comments", R"({"body":"hi"})"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(agent_b.token, path + "/comments"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(agent_b.token, path + "/history"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Delete(b.admin.token, path), 404, "NOT_FOUND"));
  // Untouched for its own tenant.
  HttpResponse own = GetTicket(agent_a, ticket);
  ASSERT_TRUE(HasStatus(own, 200));
  EXPECT_EQ(GetString(Json(own.body).root(), "status"), "open");
  EXPECT_EQ(GetString(Json(own.body).root(), "priority"), "medium");
}

TEST_F(AuthTenancyTest, ReferencingAnotherTenantsUserOrAssetIsCrossTenant) {
  Tenant a = CreateTenant();
  Tenant b = CreateTenant();
  User agent_a = CreateUser(a, "agent");
  User agent_b = CreateUser(b, "agent");
  std::string asset_b = CreateAsset(b.admin, "Their laptop");

  EXPECT_TRUE(IsError(Post(agent_a.token, "/api/v1/tickets",
                           R"({"subject":"S","description":"D","assignee_id":")" + agent_b.id + R"("})"),
                      403, "CROSS_TENANT_REFERENCE"));
  EXPECT_TRUE(IsError(Post(agent_a.token, "/api/v1/tickets",
                           R"({"subject":"S","description":"D","asset_id":")" + asset_b + R"("})"),
                      403, "CROSS_TENANT_REFERENCE"));
  std::string ticket = CreateTicket(agent_a);
  EXPECT_TRUE(IsError(Post(agent_a.token, "/api/v1/tickets/" + ticket + "/assignment",
                           R"({"assignee_id":")" + agent_b.id + R"("})"),
                      403, "CROSS_TENANT_REFERENCE"));
  EXPECT_TRUE(
      IsError(Patch(agent_a.token, "/api/v1/tickets/" + ticket, R"({"asset_id":")" + asset_b + R"("})"), 403,
              "CROSS_TENANT_REFERENCE"));
  HttpResponse after = GetTicket(agent_a, ticket);
  EXPECT_TRUE(IsNull(Json(after.body).root(), "assignee_id"));
  EXPECT_TRUE(IsNull(Json(after.body).root(), "asset_id"));
  EXPECT_EQ(GetInt(Json(after.body).root(), "version"), 1) << "a refused command changes nothing";
  EXPECT_TRUE(IsError(Delete(a.admin.token, "/api/v1/assets/" + asset_b), 404, "NOT_FOUND"));
}

TEST_F(AuthTenancyTest, ListingNeverShowsAnotherTenantsTickets) {
  Tenant a = CreateTenant();
  Tenant b = CreateTenant();
  User agent_a = CreateUser(a, "agent");
  User agent_b = CreateUser(b, "agent");
  std::string ticket_a = CreateTicket(agent_a);
  std::string ticket_b = CreateTicket(agent_b);
  HttpResponse list = Get(b.admin.token, "/api/v1/tickets?page_size=200");
  ASSERT_TRUE(HasStatus(list, 200));
  std::vector<std::string> ids = ItemIds(list);
  EXPECT_EQ(ids, std::vector<std::string>{ticket_b});
  EXPECT_EQ(GetInt(Json(list.body).root(), "total"), 1);
  // Not even through a filter naming it or a search for its words.
  EXPECT_TRUE(ItemIds(Get(agent_b.token, "/api/v1/tickets?reporter_id=" + agent_a.id)).empty());
  EXPECT_FALSE(Contains(ItemIds(Get(agent_b.token, "/api/v1/tickets?q=printer")), ticket_a));
}

}  // namespace
}  // namespace ticketd::integration

// ACCESS.md "API keys and the public API" against the real binary.
#include <chrono>

#include "api_fixture.h"

namespace ticketd::integration {
namespace {

struct ApiKey {
  std::string id;
  std::string key;
};

class ApiKeysTest : public TenantTest {
 protected:
  void SetUp() override {
    TenantTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"public_api":true}})"), 200));
  }
  ApiKey CreateKey(std::string_view scopes, const Tenant* tenant = nullptr, std::string_view extra = "") {
    const Tenant& t = tenant ? *tenant : tenant_;
    HttpResponse created = Post(t.admin.token, "/api/v1/api-keys",
                                R"({"name":"integration","scopes":)" + std::string(scopes) + std::string(extra) + "}");
    EXPECT_TRUE(HasStatus(created, 201));
    Json json(created.body);
    return ApiKey{GetString(json.root(), "id"), GetString(json.root(), "key")};
  }
  std::int64_t RequestsToday(const ApiKey& key) {
    HttpResponse usage = Get(tenant_.admin.token, "/api/v1/api-keys/" + key.id + "/usage");
    EXPECT_TRUE(HasStatus(usage, 200));
    std::int64_t total = 0;
    Json json(usage.body);
    for (element day : GetArray(json.root(), "items")) total += GetInt(day, "requests").value_or(0);
    return total;
  }
};

TEST_F(ApiKeysTest, CreateShowsTheKeyOnceAndListsWithoutIt) {
  HttpResponse created = Post(tenant_.admin.token, "/api/v1/api-keys",
                              R"({"name":"CI","scopes":["tickets:read","mail:inbound"],"expires_at":"2099-01-01T00:00:00Z"})");
  ASSERT_TRUE(HasStatus(created, 201));
  Json json(created.body);
  const std::string key = GetString(json.root(), "key");
  EXPECT_GE(key.size(), 40u);
  EXPECT_EQ(GetStrings(json.root(), "scopes"), (std::vector<std::string>{"tickets:read", "mail:inbound"}));
  EXPECT_EQ(GetString(json.root(), "expires_at").substr(0, 19), "2099-01-01T00:00:00");
  EXPECT_FALSE(GetString(json.root(), "created_at").empty());

  HttpResponse list = Get(tenant_.admin.token, "/api/v1/api-keys");
  ASSERT_TRUE(HasStatus(list, 200));
  EXPECT_EQ(list.body.find(key), std::string::npos) << "the key is shown once";
  Json list_json(list.body);
  std::vector<element> items = GetArray(list_json.root(), "items");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(Has(items[0], "key"));
  EXPECT_TRUE(IsNull(items[0], "last_used_at"));
  ASSERT_TRUE(HasStatus(Get(key, "/public/v1/tickets"), 200));
  Json used(Get(tenant_.admin.token, "/api/v1/api-keys").body);
  EXPECT_FALSE(GetString(GetArray(used.root(), "items").at(0), "last_used_at").empty());
}

TEST_F(ApiKeysTest, CreateValidatesAndNeedsSettingsManage) {
  HttpResponse refused = Post(agent_.token, "/api/v1/api-keys", R"({"name":"x","scopes":["tickets:read"]})");
  ASSERT_TRUE(IsError(refused, 403, "FORBIDDEN"));
  EXPECT_EQ(GetString(Json(refused.body).root(), "error.details.permission"), "settings:manage");
  for (std::string_view body :
       {R"({"name":"x","scopes":["tickets:fly"]})", R"({"name":"x","scopes":[]})", R"({"name":"x"})",
        R"({"scopes":["tickets:read"]})", R"({"name":"x","scopes":["tickets:read"],"expires_at":"2001-01-01T00:00:00Z"})",
        R"({"name":"x","scopes":["tickets:read"],"expires_at":"tomorrow"})"}) {
    EXPECT_TRUE(IsError(Post(tenant_.admin.token, "/api/v1/api-keys", body), 400, "VALIDATION_ERROR")) << body;
  }
}

TEST_F(ApiKeysTest, KeysWorkOnlyOnPublicRoutesAndTokensOnlyOnApiRoutes) {
  ApiKey key = CreateKey(R"(["tickets:read","tickets:write"])");
  EXPECT_TRUE(IsError(Get(key.key, "/api/v1/tickets"), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Get(key.key, "/api/v1/settings"), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Get(tenant_.admin.token, "/public/v1/tickets"), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Get(kAdminToken, "/public/v1/tickets"), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Get("tkd_key_nonsense", "/public/v1/tickets"), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Call("GET", "", "/public/v1/tickets"), 401, "UNAUTHENTICATED"));
}

TEST_F(ApiKeysTest, PublicRoutesReuseTheApiBodiesAndAnswers) {
  ApiKey key = CreateKey(R"(["tickets:read","tickets:write"])");
  HttpResponse created = Post(key.key, "/public/v1/tickets", R"({"subject":"From the portal","description":"d",
                                                                 "priority":"high","reporter_id":")" +
                                                                  reporter_.id + "\"}");
  ASSERT_TRUE(HasStatus(created, 201));
  Json ticket(created.body);
  const std::string id = GetString(ticket.root(), "id");
  EXPECT_EQ(GetString(ticket.root(), "reporter_id"), reporter_.id);
  EXPECT_EQ(GetString(ticket.root(), "priority"), "high");
  EXPECT_TRUE(HasStatus(GetTicket(reporter_, id), 200)) << "the reporter sees it as their own";

  HttpResponse defaulted = Post(key.key, "/public/v1/tickets", R"({"subject":"Mine","description":"d"})");
  ASSERT_TRUE(HasStatus(defaulted, 201));
  EXPECT_EQ(GetString(Json(defaulted.body).root(), "reporter_id"), tenant_.admin.id) << "default: the key's creator";

  HttpResponse patched = Patch(key.key, "/public/v1/tickets/" + id, R"({"subject":"Renamed"})");
  ASSERT_TRUE(HasStatus(patched, 200));
  EXPECT_EQ(GetString(Json(patched.body).root(), "subject"), "Renamed");
  HttpResponse one = Get(key.key, "/public/v1/tickets/" + id);
  ASSERT_TRUE(HasStatus(one, 200));
  EXPECT_EQ(one.body, GetTicket(agent_, id).body) << "the same JSON as /api/v1";
  HttpResponse list = Get(key.key, "/public/v1/tickets?priority=high");
  ASSERT_TRUE(HasStatus(list, 200));
  EXPECT_EQ(GetInt(Json(list.body).root(), "total"), 1);

  EXPECT_TRUE(IsError(Post(key.key, "/public/v1/tickets", R"({"subject":"x","description":"d","reporter_id":"nope"})"),
                      400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Post(tenant_.admin.token, "/api/v1/tickets",
                           R"({"subject":"x","description":"d","reporter_id":")" + reporter_.id + "\"}"),
                      400, "VALIDATION_ERROR"))
      << "reporter_id is a public API extra";
  Tenant other = CreateTenant();
  User stranger = CreateUser(other, "reporter");
  EXPECT_TRUE(IsError(Post(key.key, "/public/v1/tickets",
                           R"({"subject":"x","description":"d","reporter_id":")" + stranger.id + "\"}"),
                      403, "CROSS_TENANT_REFERENCE"));
  std::string foreign_ticket = CreateTicket(stranger);
  EXPECT_TRUE(IsError(Get(key.key, "/public/v1/tickets/" + foreign_ticket), 404, "NOT_FOUND"));
}

TEST_F(ApiKeysTest, WrongScopeIsInsufficientScopeAndStillCounts) {
  ApiKey reader = CreateKey(R"(["tickets:read"])");
  HttpResponse refused = Post(reader.key, "/public/v1/tickets", R"({"subject":"x","description":"d"})");
  ASSERT_TRUE(IsError(refused, 403, "INSUFFICIENT_SCOPE"));
  EXPECT_EQ(GetString(Json(refused.body).root(), "error.details.required"), "tickets:write");
  ApiKey writer = CreateKey(R"(["tickets:write"])");
  HttpResponse no_read = Get(writer.key, "/public/v1/tickets");
  ASSERT_TRUE(IsError(no_read, 403, "INSUFFICIENT_SCOPE"));
  EXPECT_EQ(GetString(Json(no_read.body).root(), "error.details.required"), "tickets:read");
  ASSERT_TRUE(HasStatus(Get(reader.key, "/public/v1/tickets"), 200));
  EXPECT_EQ(RequestsToday(reader), 2) << "the 403 counts too";
  EXPECT_EQ(RequestsToday(writer), 1);
}

TEST_F(ApiKeysTest, PublicApiOffIsFeatureDisabled) {
  ApiKey key = CreateKey(R"(["tickets:read"])");
  ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"public_api":false}})"), 200));
  HttpResponse off = Get(key.key, "/public/v1/tickets");
  ASSERT_TRUE(IsError(off, 403, "FEATURE_DISABLED"));
  ASSERT_TRUE(HasStatus(Patch(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/license",
                              R"({"features":{"public_api":false}})"),
                        200));
  EXPECT_TRUE(IsError(Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"public_api":true}})"), 403,
                      "NOT_LICENSED"));
  EXPECT_TRUE(IsError(Get(key.key, "/public/v1/tickets"), 403, "FEATURE_DISABLED"));
}

TEST_F(ApiKeysTest, DeletedKeyIsRefusedFromTheNextRequest) {
  ApiKey key = CreateKey(R"(["tickets:read"])");
  ASSERT_TRUE(HasStatus(Get(key.key, "/public/v1/tickets"), 200));
  EXPECT_TRUE(IsError(Delete(agent_.token, "/api/v1/api-keys/" + key.id), 403, "FORBIDDEN"));
  ASSERT_TRUE(HasStatus(Delete(tenant_.admin.token, "/api/v1/api-keys/" + key.id), 204));
  EXPECT_TRUE(IsError(Get(key.key, "/public/v1/tickets"), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Delete(tenant_.admin.token, "/api/v1/api-keys/" + key.id), 404, "NOT_FOUND"));
  EXPECT_EQ(GetArray(Json(Get(tenant_.admin.token, "/api/v1/api-keys").body).root(), "items").size(), 0u);
  EXPECT_EQ(RequestsToday(key), 1) << "a deleted key's usage stays readable";
  Tenant other = CreateTenant();
  ApiKey foreign = CreateKey(R"(["tickets:read"])", &other);
  EXPECT_TRUE(IsError(Delete(tenant_.admin.token, "/api/v1/api-keys/" + foreign.id), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(tenant_.admin.token, "/api/v1/api-keys/" + foreign.id + "/usage"), 404, "NOT_FOUND"));
}

TEST_F(ApiKeysTest, ExpiredKeyIsRefused) {
  const auto soon = std::chrono::system_clock::now() + std::chrono::seconds(1);
  const std::time_t t = std::chrono::system_clock::to_time_t(soon) + 1;
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  ApiKey key = CreateKey(R"(["tickets:read"])", nullptr, std::string(R"(,"expires_at":")") + text + "\"");
  ASSERT_FALSE(key.key.empty());
  EXPECT_TRUE(HasStatus(Get(key.key, "/public/v1/tickets"), 200));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  int status = 200;
  while (status == 200 && std::chrono::steady_clock::now() < deadline) status = Get(key.key, "/public/v1/tickets").status;
  EXPECT_EQ(status, 401) << "the key expired at " << text;
}

}  // namespace
}  // namespace ticketd::integration

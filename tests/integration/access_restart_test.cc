// The access state (groups, settings, licence, alerts, API keys and their
// usage) rebuilt after a clean restart (snapshot), a kill -9 (log replay),
// and by `ticket-replay read-models`: same answers, same canonical hashes.
// Also --rate-limit per API key.
#include "api_fixture.h"
#include "cli_runner.h"

namespace ticketd::integration {
namespace {

class AccessRestartTest : public ApiTest {
 protected:
  AccessRestartTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }

  // What a restart must reproduce, as the API shows it.
  std::string Observed() {
    std::string seen;
    for (const char* path : {"/api/v1/permission-groups", "/api/v1/settings", "/api/v1/api-keys"})
      seen += Get(tenant_.admin.token, path).body + "\n";
    seen += Get(tenant_.admin.token, "/api/v1/api-keys/" + key_id_ + "/usage").body + "\n";
    seen += Get(kAdminToken, "/api/v1/admin/alerts").body + "\n";
    return seen;
  }
  std::string LiveHashes() {
    HttpResponse hashes = Get(kAdminToken, "/api/v1/audit/read-models");
    EXPECT_TRUE(HasStatus(hashes, 200));
    return GetString(Json(hashes.body).root(), "hashes.directory") + "/" +
           GetString(Json(hashes.body).root(), "hashes.write_model");
  }
  void Workload() {
    tenant_ = CreateTenant();
    reporter_ = CreateUser(tenant_, "reporter");
    ASSERT_TRUE(HasStatus(Post(tenant_.admin.token, "/api/v1/permission-groups",
                               R"({"name":"Triage","permissions":["tickets:manage","tickets:read_all"]})"),
                          201));
    Json groups(Get(tenant_.admin.token, "/api/v1/permission-groups").body);
    const std::string itsm = GetString(GetArray(groups.root(), "items").at(0), "id");
    ASSERT_TRUE(HasStatus(
        Call("PUT", tenant_.admin.token, "/api/v1/permission-groups/" + itsm + "/members/" + reporter_.id), 204));
    ASSERT_TRUE(HasStatus(Patch(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/license",
                                R"({"features":{"email_templates":false},"quotas":{"max_agents":2}})"),
                          200));
    ASSERT_TRUE(IsError(Post(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/users",
                             R"({"name":"A3","email":"a3@example.com","role":"agent"})"),
                        409, "QUOTA_EXCEEDED"));
    ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings",
                                R"({"features":{"public_api":true,"agent_portal":false}})"),
                          200));
    HttpResponse key = Post(tenant_.admin.token, "/api/v1/api-keys", R"({"name":"k","scopes":["tickets:read"]})");
    ASSERT_TRUE(HasStatus(key, 201));
    key_id_ = GetString(Json(key.body).root(), "id");
    key_ = GetString(Json(key.body).root(), "key");
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(HasStatus(Get(key_, "/public/v1/tickets"), 200));
  }
  // The usage events are batched (every 5 s): wait until the log holds the counts.
  void WaitForUsageInLog() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      CliResult exported = RunReplay("export --data-dir " + server_.data_dir());
      if (exported.out.find(R"("requests":"3")") != std::string::npos) return;
    }
    ADD_FAILURE() << "no api_key.usage event with the 3 requests within 20 s";
  }

  ServerProcess server_;
  Tenant tenant_;
  User reporter_;
  std::string key_id_, key_;
};

TEST_F(AccessRestartTest, CleanRestartFromTheSnapshotKeepsEverything) {
  ASSERT_TRUE(server_.Start());
  Workload();
  WaitForUsageInLog();  // else the stop's flush of the counts moves the hashes on
  const std::string before = Observed();
  const std::string hashes = LiveHashes();
  ASSERT_TRUE(server_.Stop());  // writes the shutdown snapshot
  ASSERT_TRUE(server_.Restart());
  bool from_snapshot = false;
  for (const std::string& line : server_.StderrLines())
    from_snapshot |= line.find("recovered to position") != std::string::npos &&
                     line.find("then 0 events replayed") != std::string::npos;
  EXPECT_TRUE(from_snapshot) << server_.StderrTail();
  EXPECT_EQ(Observed(), before);
  EXPECT_EQ(LiveHashes(), hashes);
  EXPECT_TRUE(HasStatus(Get(key_, "/public/v1/tickets"), 200)) << "the key survives";
  EXPECT_TRUE(HasStatus(Post(reporter_.token, "/api/v1/tickets/00000000-0000-4000-8000-000000000001/claim", ""), 404))
      << "group membership survives: tickets:manage, so the ticket is merely unknown";
  HttpResponse usage = Get(tenant_.admin.token, "/api/v1/api-keys/" + key_id_ + "/usage");
  Json usage_json(usage.body);
  EXPECT_EQ(GetInt(GetArray(usage_json.root(), "items").at(0), "requests"), 4) << "counting continues";
}

TEST_F(AccessRestartTest, KillNineReplaysTheLogAndTheCliAgrees) {
  ASSERT_TRUE(server_.Start());
  Workload();
  WaitForUsageInLog();
  const std::string before = Observed();
  const std::string hashes = LiveHashes();
  server_.Kill9();
  CliResult cli = RunReplay("read-models --data-dir " + server_.data_dir());
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  Json from_cli(cli.out);
  EXPECT_EQ(GetString(from_cli.root(), "hashes.directory") + "/" + GetString(from_cli.root(), "hashes.write_model"),
            hashes);
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(Observed(), before);
  EXPECT_EQ(LiveHashes(), hashes);
}

TEST_F(AccessRestartTest, RateLimitAppliesPerApiKey) {
  server_.set_extra_args({"--rate-limit", "0.01/s", "--rate-burst", "5"});
  ASSERT_TRUE(server_.Start());
  tenant_ = CreateTenant();
  ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"public_api":true}})"), 200));
  std::vector<std::string> keys;
  for (int i = 0; i < 2; ++i) {
    HttpResponse key = Post(tenant_.admin.token, "/api/v1/api-keys", R"({"name":"k","scopes":["tickets:read"]})");
    ASSERT_TRUE(HasStatus(key, 201));
    keys.push_back(GetString(Json(key.body).root(), "key"));
  }
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(HasStatus(Get(keys[0], "/public/v1/tickets"), 200)) << i;
  HttpResponse limited = Get(keys[0], "/public/v1/tickets");
  EXPECT_TRUE(IsError(limited, 429, "RATE_LIMITED"));
  EXPECT_FALSE(limited.Header("Retry-After").empty());
  EXPECT_TRUE(HasStatus(Get(keys[1], "/public/v1/tickets"), 200)) << "the other key has its own bucket";
}

}  // namespace
}  // namespace ticketd::integration

// End to end: sessions survive restarts and kill -9 exactly (a refresh that
// was answered 200 stays spent), access tokens expire, and no password or
// token secret ever reaches the data dir or the server log.
#include <chrono>
#include <filesystem>

#include "disk_scan.h"
#include "signin_fixture.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;

class SignInDurabilityTest : public ApiTest {
 protected:
  SignInDurabilityTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }
  void StartWithTenant(std::vector<std::string> args = {}) {
    server_.set_extra_args(std::move(args));
    ASSERT_TRUE(server_.Start());
    HttpResponse created = Post(kAdminToken, "/api/v1/tenants", R"({"name":"Durable","slug":"durable"})");
    ASSERT_TRUE(HasStatus(created, 201));
    tenant_id_ = GetString(Json(created.body).root(), "id");
    admin_ = CreateUserWithPassword(http(), tenant_id_, "admin@example.com", "admin");
  }
  // Whether any file below the data dir contains `needle` (raw bytes).
  std::vector<std::string> FilesContaining(const std::string& needle) {
    return test_support::FilesContaining(server_.data_dir(), needle);
  }

  ServerProcess server_;
  std::string tenant_id_;
  User admin_;
};

TEST_F(SignInDurabilityTest, ASpentRefreshTokenStaysSpentAcrossKill9AndRestart) {
  StartWithTenant({"--snapshot-every", "3"});
  SignedIn first = MustLogin(http(), "durable", "admin@example.com");
  HttpResponse rotated = Refresh(http(), first.refresh);
  ASSERT_TRUE(HasStatus(rotated, 200));
  const std::string second = GetString(Json(rotated.body).root(), "refresh_token");
  SignedIn other = MustLogin(http(), "durable", "admin@example.com");

  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  HttpResponse again = Refresh(http(), second);
  ASSERT_TRUE(HasStatus(again, 200)) << "the current token survives a crash";
  const std::string third = GetString(Json(again.body).root(), "refresh_token");
  const std::string access = GetString(Json(again.body).root(), "access_token");
  EXPECT_TRUE(HasStatus(WithBearer(http(), "GET", access, "/api/v1/users/me"), 200)) << "the JWT key survives too";

  ASSERT_TRUE(server_.Stop());  // writes a snapshot: the next start loads sessions from it
  ASSERT_TRUE(server_.Restart());
  EXPECT_TRUE(IsError(Refresh(http(), first.refresh), 401, "INVALID_REFRESH_TOKEN")) << "spent before the crash";
  EXPECT_TRUE(IsError(Refresh(http(), third), 401, "INVALID_REFRESH_TOKEN")) << "the reuse revoked the session";
  EXPECT_TRUE(IsError(WithBearer(http(), "GET", access, "/api/v1/users/me"), 401, "UNAUTHENTICATED"));
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  EXPECT_TRUE(IsError(Refresh(http(), third), 401, "INVALID_REFRESH_TOKEN")) << "the revocation is durable";
  EXPECT_TRUE(HasStatus(Refresh(http(), other.refresh), 200)) << "the other session lives on";
}

TEST_F(SignInDurabilityTest, AccessTokensExpireAfterTheConfiguredTtl) {
  StartWithTenant({"--access-token-ttl", "1"});
  HttpResponse login = Login(http(), "durable", "admin@example.com");
  ASSERT_TRUE(HasStatus(login, 200));
  EXPECT_EQ(GetInt(Json(login.body).root(), "expires_in"), 1);
  const std::string access = GetString(Json(login.body).root(), "access_token");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  HttpResponse me;
  do {
    me = WithBearer(http(), "GET", access, "/api/v1/users/me");
  } while (me.status == 200 && std::chrono::steady_clock::now() < deadline);
  EXPECT_TRUE(IsError(me, 401, "UNAUTHENTICATED")) << "still accepted after 10 s";
}

TEST_F(SignInDurabilityTest, NoSecretReachesTheDataDirOrTheLog) {
  StartWithTenant();
  const std::string password = "Zebra-Quartz-4711-secret";
  User user = CreateUserWithPassword(http(), tenant_id_, "carol@example.com", "agent", password);
  SignedIn session = MustLogin(http(), "durable", "carol@example.com", password);
  HttpResponse rotated = Refresh(http(), session.refresh);
  ASSERT_TRUE(HasStatus(rotated, 200));
  const std::string refresh = GetString(Json(rotated.body).root(), "refresh_token");
  HttpResponse issued = Post(admin_.token, "/api/v1/users/" + user.id + "/password-reset", "");
  ASSERT_TRUE(HasStatus(issued, 201));
  const std::string reset = GetString(Json(issued.body).root(), "reset_token");
  const std::string new_password = "Another-Secret-0815-pw";
  ASSERT_TRUE(HasStatus(http().Request("POST", "/api/v1/auth/reset",
                                       R"({"reset_token":)" + JsonQuote(reset) + R"(,"new_password":)" +
                                           JsonQuote(new_password) + "}"),
                        204));
  EXPECT_TRUE(IsError(Login(http(), "durable", "carol@example.com", "Wrong-Secret-pw-9"), 401, "INVALID_CREDENTIALS"));
  HttpResponse metrics = http().Request("GET", "/metrics");
  ASSERT_TRUE(server_.Stop());

  for (const std::string& secret : {password, new_password, std::string("Wrong-Secret-pw-9"), session.refresh,
                                    refresh, reset, user.token, session.access}) {
    EXPECT_EQ(FilesContaining(secret), std::vector<std::string>{}) << "a secret on disk";
    EXPECT_EQ(metrics.body.find(secret), std::string::npos);
    for (const std::string& line : server_.StderrLines())
      EXPECT_EQ(line.find(secret), std::string::npos) << "a secret in the log: " << line;
  }
}

}  // namespace
}  // namespace ticketd::integration

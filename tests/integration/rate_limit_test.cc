// --rate-limit: a token bucket per bearer token, 429 with Retry-After.
#include "api_fixture.h"

namespace ticketd::integration {
namespace {

class RateLimitTest : public ApiTest {
 protected:
  RateLimitTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }
  ServerProcess server_;
};

TEST_F(RateLimitTest, OffByDefault) {
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(HasStatus(Get(tenant.admin.token, "/api/v1/users"), 200)) << i;
}

TEST_F(RateLimitTest, BurstThenTooManyRequestsPerToken) {
  // A slow refill, so the outcome does not depend on how fast this machine is.
  server_.set_extra_args({"--rate-limit", "0.01/s", "--rate-burst", "5"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant();  // the platform admin token spends some of its own bucket
  User agent = CreateUser(tenant, "agent");
  int ok = 0;
  HttpResponse limited;
  for (int i = 0; i < 20; ++i) {
    HttpResponse response = Get(tenant.admin.token, "/api/v1/users");
    if (response.status == 200) {
      ++ok;
    } else {
      limited = response;
      break;
    }
  }
  EXPECT_EQ(ok, 5);
  ASSERT_TRUE(IsError(limited, 429, "RATE_LIMITED"));
  EXPECT_GE(std::stoi("0" + limited.Header("Retry-After")), 1);
  // Another token has its own bucket.
  EXPECT_TRUE(HasStatus(Get(agent.token, "/api/v1/users"), 200));
}

TEST(RateLimitOptions, BadValuesAreRefusedAtStart) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--rate-limit", "fast"}, std::vector<std::string>{"--rate-limit", "-3/s"}}) {
    ServerProcess server(TicketdBinary(), kAdminToken);
    server.set_extra_args(args);
    EXPECT_FALSE(server.Start()) << args[1];
  }
}

}  // namespace
}  // namespace ticketd::integration

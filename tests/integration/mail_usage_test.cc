// ACCESS.md usage.emails_this_month against the real binary and a real SMTP
// server: it counts this month's mails the way max_emails_month does
// (queued, sent or failed; dropped ones not), so usage and quota agree.
#include <gtest/gtest.h>

#include "api_fixture.h"
#include "json_helpers.h"
#include "poll_until.h"
#include "smtp_sink.h"

namespace ticketd::integration {
namespace {

using test_support::PollUntil;

class MailUsageTest : public ApiTest {
 protected:
  MailUsageTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }
  std::int64_t EmailsThisMonth(const User& user) {
    return GetInt(Json(Get(user.token, "/api/v1/settings").body).root(), "usage.emails_this_month").value_or(-1);
  }
  ServerProcess server_;
};

TEST_F(MailUsageTest, EmailsThisMonthCountsWhatTheQuotaCounts) {
  SmtpSink sink;
  ASSERT_TRUE(sink.Start());
  server_.set_extra_args({"--smtp", sink.url()});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("ACME");
  User agent = CreateUser(tenant, "agent");
  User reporter = CreateUser(tenant, "reporter");
  EXPECT_EQ(EmailsThisMonth(reporter), 0);

  CreateTicket(reporter);  // the receipt, the agent, the admin
  ASSERT_TRUE(PollUntil([&] { return EmailsThisMonth(reporter) == 3; })) << EmailsThisMonth(reporter);
  ASSERT_TRUE(HasStatus(Patch(kAdminToken, "/api/v1/tenants/" + tenant.id + "/license",
                              R"({"quotas":{"max_emails_month":4}})"), 200));
  CreateTicket(reporter);  // one more fits, two are dropped
  ASSERT_TRUE(PollUntil([&] {
    Json dropped(Get(tenant.admin.token, "/api/v1/notifications?status=dropped").body);
    return GetArray(dropped.root(), "items").size() == 2;
  }));
  EXPECT_EQ(EmailsThisMonth(reporter), 4) << "dropped mails are not counted";
  EXPECT_EQ(EmailsThisMonth(agent), 4) << "any user of the tenant reads the same figure";
  ASSERT_TRUE(PollUntil([&] { return sink.Mails().size() == 4; }));

  // Durable: the count survives a kill -9; another tenant has its own.
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(EmailsThisMonth(reporter), 4);
  Tenant other = CreateTenant("OTHER");
  EXPECT_EQ(EmailsThisMonth(other.admin), 0);
}

}  // namespace
}  // namespace ticketd::integration

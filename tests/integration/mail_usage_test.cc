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

// MAIL.md "Erasure": unsent mails of an erased ticket are dropped (reason
// erased) and never go out, also once the relay is back.
TEST_F(MailUsageTest, ErasedTicketsUnsentMailsAreDroppedAndNeverSent) {
  const std::uint16_t port = FreeLoopbackPort();  // the relay is down: the mails wait
  server_.set_extra_args({"--smtp", "smtp://127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("ACME");
  CreateUser(tenant, "agent");
  User reporter = CreateUser(tenant, "reporter");
  const std::string id = CreateTicket(reporter, R"({"subject":"SECRET-SUBJECT-77","description":"d"})");
  auto statuses = [&](const std::string& status) {
    Json json(Get(tenant.admin.token, "/api/v1/notifications?ticket_id=" + id + "&status=" + status).body);
    std::vector<std::string> reasons;
    for (auto item : GetArray(json.root(), "items")) reasons.push_back(GetString(item, "reason"));
    return reasons;
  };
  ASSERT_TRUE(PollUntil([&] { return statuses("queued").size() == 3; }));
  ASSERT_TRUE(HasStatus(Post(tenant.admin.token, "/api/v1/erasure",
                             R"({"subject_type":"ticket","id":")" + id + R"("})"), 200));
  ASSERT_TRUE(PollUntil([&] { return statuses("dropped").size() == 3; }));
  for (const std::string& reason : statuses("dropped")) EXPECT_EQ(reason, "erased");
  SmtpSink sink;
  ASSERT_TRUE(sink.Start(port));
  CreateTicket(reporter);  // a later mail goes out: the relay works, the erased ones stay dropped
  ASSERT_TRUE(PollUntil([&] { return sink.Mails().size() >= 3; }));
  for (const ReceivedMail& m : sink.Mails())
    EXPECT_EQ(m.Header("subject").find("SECRET-SUBJECT-77"), std::string::npos) << "an erased ticket's mail went out";
  EXPECT_TRUE(statuses("queued").empty());
}

}  // namespace
}  // namespace ticketd::integration

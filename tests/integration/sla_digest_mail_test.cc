// WORKFLOW.md / issue 12 "the digest flags breached tickets", in the mail:
// the real binary mailing to a local SMTP sink marks a ticket whose SLA was
// missed in the digest's text and HTML parts.
#include <chrono>

#include "api_fixture.h"
#include "poll_until.h"
#include "smtp_sink.h"

namespace ticketd::integration {
namespace {

using test_support::PollUntil;

class SlaDigestMailTest : public ApiTest {
 protected:
  SlaDigestMailTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }
  ServerProcess server_;
};

TEST_F(SlaDigestMailTest, TheDigestMailMarksBreachedTickets) {
  SmtpSink sink;
  ASSERT_TRUE(sink.Start());
  server_.set_extra_args({"--smtp", sink.url(), "--mail-from", "helpdesk@acme.test"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("SLAD");
  ASSERT_TRUE(HasStatus(Post(tenant.admin.token, "/api/v1/sla-policies",
                             R"({"name":"Urgent","order":1,"applies_to":{"priority":["urgent"]},)"
                             R"("first_response":"PT1S","resolution":"PT2H","calendar":"24x7"})"),
                        201));
  const std::string late = CreateTicket(tenant.admin, R"({"subject":"Server down","description":"d","priority":"urgent"})");
  CreateTicket(tenant.admin, R"({"subject":"Mouse squeaks","description":"d","priority":"low"})");
  ASSERT_TRUE(PollUntil([&] {
    return !GetStrings(Json(GetTicket(tenant.admin, late).body).root(), "sla.breached").empty();
  }, std::chrono::seconds(5)));
  ASSERT_TRUE(HasStatus(Post(tenant.admin.token, "/api/v1/admin/digest/send", R"({"date":"2030-01-02"})"), 200));
  const std::string digest_id = "<digest." + tenant.id + ".2030-01-02.";
  ASSERT_TRUE(PollUntil([&] {
    for (const auto& m : sink.Mails())
      if (m.Header("message-id").rfind(digest_id, 0) == 0) return true;
    return false;
  }, std::chrono::seconds(10)));
  for (const auto& m : sink.Mails()) {
    if (m.Header("message-id").rfind(digest_id, 0) != 0) continue;
    const std::size_t line = m.text.find("Server down");
    ASSERT_NE(line, std::string::npos);
    EXPECT_NE(m.text.substr(line, m.text.find('\n', line) - line).find("SLA BREACHED"), std::string::npos) << m.text;
    const std::size_t other = m.text.find("Mouse squeaks");
    ASSERT_NE(other, std::string::npos);
    EXPECT_EQ(m.text.substr(other, m.text.find('\n', other) - other).find("SLA BREACHED"), std::string::npos);
    EXPECT_NE(m.html.find("SLA breached"), std::string::npos);
  }
}

}  // namespace
}  // namespace ticketd::integration

// WORKFLOW.md escalate.notify through MAIL.md, end to end: a second-long SLA
// breaches in the real ticketd, the policy's escalation names the assignee,
// the group's team and the managers, and exactly they get one
// ticket.sla_escalated mail each at a real SMTP server (aiosmtpd).
#include <gtest/gtest.h>

#include <set>

#include "api_fixture.h"
#include "json_helpers.h"
#include "poll_until.h"
#include "smtp_sink.h"

namespace ticketd::integration {
namespace {

using test_support::PollUntil;

class MailEscalationTest : public ApiTest {
 protected:
  MailEscalationTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }

  // The escalation mails the sink holds (by their default subject).
  std::vector<ReceivedMail> EscalationMails(const SmtpSink& sink) {
    std::vector<ReceivedMail> found;
    for (const ReceivedMail& m : sink.Mails())
      if (m.Header("subject").find("SLA first_response missed") != std::string::npos) found.push_back(m);
    return found;
  }

  ServerProcess server_;
};

TEST_F(MailEscalationTest, BreachMailsAssigneeTeamAndManagersOnceEach) {
  SmtpSink sink;
  ASSERT_TRUE(sink.Start());
  server_.set_extra_args({"--smtp", sink.url(), "--mail-from", "helpdesk@acme.test"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("ACME");
  User assignee = CreateUser(tenant, "agent");
  User team_mate = CreateUser(tenant, "agent");
  User bystander = CreateUser(tenant, "agent");  // staff, but neither on the team nor assigned
  User manager = CreateUser(tenant, "manager");

  HttpResponse group = Post(tenant.admin.token, "/api/v1/groups",
                            R"({"name":"Desk","team_ids":[")" + team_mate.id + R"("]})");
  ASSERT_TRUE(HasStatus(group, 201));
  const std::string group_id = GetString(Json(group.body).root(), "id");
  ASSERT_TRUE(HasStatus(Post(tenant.admin.token, "/api/v1/sla-policies",
                             R"({"name":"Fast","order":1,"applies_to":{"group_id":[")" + group_id +
                                 R"("]},"first_response":"PT1S","resolution":"PT1H","calendar":"24x7",)"
                                 R"("escalate":{"notify":["assignee","team","managers"]}})"),
                        201));
  const std::string id = CreateTicket(tenant.admin, R"({"subject":"Server room hot","description":"d","group_id":")" +
                                                        group_id + R"(","assignee_id":")" + assignee.id + R"("})");

  ASSERT_TRUE(PollUntil([&] { return EscalationMails(sink).size() >= 3; })) << sink.Mails().size();
  std::set<std::string> to;
  for (const ReceivedMail& m : EscalationMails(sink)) {
    to.insert(m.rcpt_to);
    EXPECT_EQ(m.Header("subject").rfind("[ACME-000001] ", 0), 0u) << m.Header("subject");
    EXPECT_NE(m.text.find("first_response"), std::string::npos) << m.text;
    EXPECT_NE(m.text.find("/tickets/ACME-000001"), std::string::npos);
    EXPECT_EQ(m.text.find("/desk/"), std::string::npos) << "managers and staff get the staff page: " << m.rcpt_to;
    EXPECT_EQ(m.Header("in-reply-to"), "<t." + id + "@acme.test>") << "threaded with the ticket's mails";
  }
  EXPECT_EQ(to, (std::set<std::string>{assignee.email, team_mate.email, manager.email}));
  EXPECT_EQ(to.count(bystander.email), 0u);

  // The notification log names the template; a restart (kill -9) sends nothing twice.
  auto escalations = [&] {
    Json log(Get(tenant.admin.token, "/api/v1/notifications?ticket_id=" + id).body);
    std::size_t n = 0;
    for (auto item : GetArray(log.root(), "items")) n += GetString(item, "template") == "ticket.sla_escalated";
    return n;
  };
  EXPECT_EQ(escalations(), 3u);
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(escalations(), 3u) << "one breach, one escalation, across restarts";
}

TEST_F(MailEscalationTest, EscalationTemplateIsCustomisableWithItsOwnPlaceholder) {
  server_.set_extra_args({"--smtp", "spool"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("ACME");
  ASSERT_TRUE(HasStatus(Patch(tenant.admin.token, "/api/v1/settings", R"({"features":{"email_templates":true}})"), 200));
  const std::string base = "/api/v1/email-templates";
  std::set<std::string> events;
  Json list(Get(tenant.admin.token, base).body);
  for (auto item : GetArray(list.root(), "items"))
    events.insert(GetString(item, "event"));
  for (const char* event : {"ticket.created", "ticket.assigned", "ticket.comment_added", "ticket.resolved",
                            "ticket.closed", "ticket.status_changed", "digest", "ticket.sla_escalated"})
    EXPECT_EQ(events.count(event), 1u) << event;
  HttpResponse preview = Post(tenant.admin.token, base + "/ticket.sla_escalated/preview",
                              R"({"subject":"Late: {{sla_target}}"})");
  ASSERT_TRUE(HasStatus(preview, 200));
  EXPECT_EQ(GetString(Json(preview.body).root(), "subject"), "[ACME-000042] Late: resolution");
  ASSERT_TRUE(HasStatus(Call("PUT", tenant.admin.token, base + "/ticket.sla_escalated",
                             R"({"subject":"Late {{ticket_number}}","text":"{{sla_target}}","html":"<p>{{sla_target}}</p>"})"),
                        200));
  HttpResponse wrong = Call("PUT", tenant.admin.token, base + "/ticket.created",
                            R"({"subject":"s","text":"{{sla_target}}","html":"h"})");
  EXPECT_TRUE(IsError(wrong, 400, "VALIDATION_ERROR")) << "sla_target belongs to the escalation mail only";
}

}  // namespace
}  // namespace ticketd::integration

// MAIL.md "The mails" on the template side: the [NUMBER] subject prefix
// (also for a tenant's own subject, unless it already holds the number),
// HTML escaping of every value in the html part only, placeholder checks per
// template (the escalation's sla_target, the digest's extras), and defaults
// that validate against their own rules.
#include "ticketd/mail/templates.h"

#include <gtest/gtest.h>

namespace ticketd::mail {
namespace {

using domain::MailTemplate;

TicketMailValues Values() {
  TicketMailValues v;
  v.ticket_number = "ACME-000042";
  v.ticket_title = "Printer <jams> & smokes";
  v.ticket_status = "open";
  v.assignee_name = "Ada";
  v.reporter_name = "Rob";
  v.comment_body = "it <b>burns</b>";
  v.ticket_url = "https://help.example.com/tickets/ACME-000042";
  v.sla_target = "resolution";
  return v;
}

TEST(MailTemplates, CustomSubjectGetsTheNumberPrefixUnlessItHoldsIt) {
  TemplateText custom{"New: {{ticket_title}}", "t", "h"};
  EXPECT_EQ(RenderTicketMail(MailTemplate::kTicketCreated, custom, Values()).subject,
            "[ACME-000042] New: Printer <jams> & smokes");
  custom.subject = "{{ticket_number}} is new";
  EXPECT_EQ(RenderTicketMail(MailTemplate::kTicketCreated, custom, Values()).subject, "ACME-000042 is new");
  custom.subject = "two\r\nlines";
  EXPECT_EQ(RenderTicketMail(MailTemplate::kTicketCreated, custom, Values()).subject, "[ACME-000042] two  lines")
      << "no header injection";
}

TEST(MailTemplates, EveryDefaultValidatesAndStartsWithTheNumber) {
  for (const auto& row : domain::kMailTemplates) {
    SCOPED_TRACE(row.name);
    EXPECT_FALSE(ValidateTemplate(row.kind, DefaultTemplate(row.kind)));
    if (row.kind == MailTemplate::kDigest) continue;
    const TemplateText out = RenderTicketMail(row.kind, DefaultTemplate(row.kind), Values());
    EXPECT_EQ(out.subject.rfind("[ACME-000042] ", 0), 0u) << out.subject;
    EXPECT_NE(out.text.find(Values().ticket_url), std::string::npos) << "each mail links the ticket";
    EXPECT_NE(out.html.find(Values().ticket_url), std::string::npos);
    EXPECT_EQ(out.html.find("<jams>"), std::string::npos) << "values are escaped in html";
    EXPECT_NE(out.html.find("&lt;jams&gt;"), std::string::npos);
  }
}

TEST(MailTemplates, EscalationMailNamesTheMissedTarget) {
  const TemplateText out =
      RenderTicketMail(MailTemplate::kSlaEscalated, DefaultTemplate(MailTemplate::kSlaEscalated), Values());
  EXPECT_NE(out.subject.find("resolution"), std::string::npos) << out.subject;
  EXPECT_NE(out.text.find("resolution"), std::string::npos);
}

TEST(MailTemplates, PlaceholdersArePerTemplate) {
  EXPECT_FALSE(ValidateTemplate(MailTemplate::kSlaEscalated, {"{{sla_target}}", "{{ticket_url}}", "{{sla_target}}"}));
  auto problem = ValidateTemplate(MailTemplate::kTicketCreated, {"s", "{{sla_target}}", "h"});
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->field, "text");
  EXPECT_NE(problem->message.find("sla_target"), std::string::npos);
  EXPECT_TRUE(ValidateTemplate(MailTemplate::kSlaEscalated, {"{{date}}", "t", "h"})) << "the digest's own";
  EXPECT_TRUE(ValidateTemplate(MailTemplate::kTicketCreated, {"s", "t", "{{{ticket_title}}}"})) << "unescaped html";
  EXPECT_TRUE(ValidateTemplate(MailTemplate::kTicketCreated, {"s", "{{#ticket_title}}", "h"})) << "does not parse";
}

}  // namespace
}  // namespace ticketd::mail

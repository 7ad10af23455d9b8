// Templates parsed once per tenant, kind and text (template_cache.h): the
// delivery thread renders every mail from the cache, so a tenant's override
// (set, changed, reset) must show in the very next mail.
#include "ticketd/mail/template_cache.h"

#include <gtest/gtest.h>

namespace ticketd::mail {
namespace {

domain::Id TenantId(std::uint8_t n) {
  domain::Id id;
  id.bytes[15] = n;
  return id;
}

TicketMailValues Values(const std::string& number, const std::string& title) {
  TicketMailValues v;
  v.ticket_number = number;
  v.ticket_title = title;
  v.ticket_url = "https://desk.example/tickets/" + number;
  return v;
}

TEST(TemplateCache, ParsesOnceAndRendersEachMailWithItsOwnValues) {
  TemplateCache cache;
  const domain::Id tenant = TenantId(1);
  const TemplateText& defaults = DefaultTemplate(domain::MailTemplate::kTicketCreated);
  const TemplateText first = cache.Get(tenant, domain::MailTemplate::kTicketCreated, defaults).RenderTicket(Values("T-1", "Printer <on> fire"));
  const TemplateText second = cache.Get(tenant, domain::MailTemplate::kTicketCreated, defaults).RenderTicket(Values("T-2", "VPN"));
  EXPECT_EQ(cache.parses(), 1u);
  // The same as rendering from scratch, values of each mail only.
  EXPECT_EQ(first, RenderTicketMail(domain::MailTemplate::kTicketCreated, defaults, Values("T-1", "Printer <on> fire")));
  EXPECT_EQ(second, RenderTicketMail(domain::MailTemplate::kTicketCreated, defaults, Values("T-2", "VPN")));
  EXPECT_NE(second.subject.find("VPN"), std::string::npos);
  EXPECT_EQ(second.subject.find("Printer"), std::string::npos);
  EXPECT_NE(first.html.find("Printer &lt;on&gt; fire"), std::string::npos);
}

TEST(TemplateCache, TenantOverrideSetChangedAndResetShowsInTheNextMail) {
  TemplateCache cache;
  const domain::Id tenant = TenantId(1), other = TenantId(2);
  const auto kind = domain::MailTemplate::kTicketCreated;
  const TemplateText& defaults = DefaultTemplate(kind);
  EXPECT_EQ(cache.Get(tenant, kind, defaults).RenderTicket(Values("T-1", "a")).subject,
            RenderTicketMail(kind, defaults, Values("T-1", "a")).subject);

  TemplateText custom = defaults;
  custom.subject = "Got it: {{ticket_title}}";
  EXPECT_EQ(cache.Get(tenant, kind, custom).RenderTicket(Values("T-2", "b")).subject, "[T-2] Got it: b");
  custom.subject = "Changed: {{ticket_title}}";  // a second override, same tenant and kind
  EXPECT_EQ(cache.Get(tenant, kind, custom).RenderTicket(Values("T-3", "c")).subject, "[T-3] Changed: c");
  // Another tenant keeps the defaults all along.
  EXPECT_EQ(cache.Get(other, kind, defaults).RenderTicket(Values("T-4", "d")).subject,
            RenderTicketMail(kind, defaults, Values("T-4", "d")).subject);
  // Reset: the defaults again.
  EXPECT_EQ(cache.Get(tenant, kind, defaults).RenderTicket(Values("T-5", "e")).subject,
            RenderTicketMail(kind, defaults, Values("T-5", "e")).subject);
  EXPECT_EQ(cache.parses(), 5u);
}

TEST(TemplateCache, TemplateThatDoesNotParseRendersTheDefaultsFromTheCacheToo) {
  TemplateCache cache;
  const auto kind = domain::MailTemplate::kCommentAdded;
  TemplateText broken = DefaultTemplate(kind);
  broken.text = "{{#ticket_title}} never closed";
  TicketMailValues v = Values("T-9", "x");
  v.comment_body = "the body";
  const TemplateText rendered = cache.Get(TenantId(3), kind, broken).RenderTicket(v);
  EXPECT_EQ(rendered, RenderTicketMail(kind, broken, v));
  EXPECT_NE(rendered.text.find("the body"), std::string::npos);
}

}  // namespace
}  // namespace ticketd::mail

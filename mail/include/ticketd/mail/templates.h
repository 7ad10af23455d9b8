// Mail templates (MAIL.md "The mails"): Mustache text for {subject, text,
// html}, the defaults of every event and the digest, validation of a
// tenant's override, and rendering. The HTML part escapes every value
// ({{x}}); the subject and text parts are plain text and do not. Pure;
// thread-safe (kainjow/mustache stays inside templates.cc).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ticketd/domain/mail_rules.h"

namespace ticketd::mail {

struct TemplateText {
  std::string subject;
  std::string text;
  std::string html;
  friend bool operator==(const TemplateText&, const TemplateText&) = default;
};

const TemplateText& DefaultTemplate(domain::MailTemplate kind);

// A template refused: `field` is subject, text or html; `message` names the
// offending placeholder or the parse error.
struct TemplateProblem {
  std::string field;
  std::string message;
};
// Unknown placeholders (outside the contract's list, plus the digest's
// date/groups/priority/tickets/due_at/overdue and the escalation's sla_target), partials, delimiter changes,
// unescaped {{{x}}}/{{&x}} in html, and text that does not parse.
std::optional<TemplateProblem> ValidateTemplate(domain::MailTemplate kind, const TemplateText& text);

// The values of a ticket mail (each the contract's placeholder).
struct TicketMailValues {
  std::string ticket_number, ticket_title, ticket_status, assignee_name, reporter_name, comment_body, ticket_url;
  std::string sla_target;  // ticket.sla_escalated only: "first_response" or "resolution"
};
struct DigestLine {
  std::string ticket_number, ticket_title, ticket_status, assignee_name, due_at, ticket_url;
  bool overdue = false;
  bool sla_breached = false;  // a recorded SLA breach (workflow, issue 12)
};
struct DigestGroupValues {
  std::string priority;
  std::vector<DigestLine> tickets;
};
struct DigestMailValues {
  std::string date;
  std::vector<DigestGroupValues> groups;
  std::string ticket_url;  // the ticket list
};

// Renders; the subject gets "[NUMBER] " in front unless it already holds the
// number. A template that does not parse renders its defaults.
TemplateText RenderTicketMail(domain::MailTemplate kind, const TemplateText& tmpl, const TicketMailValues& values);
TemplateText RenderDigestMail(const TemplateText& tmpl, const DigestMailValues& values);

// A template parsed once and rendered for many mails, as the two functions
// above do (they parse each time: parsing was most of a mail's rendering).
// Not thread-safe: one thread renders with an object at a time.
class CompiledTemplate {
 public:
  CompiledTemplate(domain::MailTemplate kind, TemplateText text);
  ~CompiledTemplate();
  CompiledTemplate(const CompiledTemplate&) = delete;
  CompiledTemplate& operator=(const CompiledTemplate&) = delete;

  domain::MailTemplate kind() const { return kind_; }
  const TemplateText& text() const { return text_; }
  TemplateText RenderTicket(const TicketMailValues& values);
  TemplateText RenderDigest(const DigestMailValues& values);

 private:
  struct Parts;  // kainjow/mustache stays inside templates.cc
  domain::MailTemplate kind_;
  TemplateText text_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace ticketd::mail

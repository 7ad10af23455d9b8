// The built-in templates: what every tenant gets until it sets its own.
#include "ticketd/mail/templates.h"

namespace ticketd::mail {
namespace {

constexpr char kFooterText[] = "\n\nOpen the ticket: {{ticket_url}}\nReply to this mail to add a comment.\n";
constexpr char kFooterHtml[] =
    "<p><a href=\"{{ticket_url}}\">Open the ticket</a> &middot; reply to this mail to add a comment.</p>";

TemplateText Make(std::string subject, std::string text, std::string html) {
  return TemplateText{std::move(subject), std::move(text) + kFooterText,
                      "<!DOCTYPE html><html><body style=\"font-family:sans-serif\">" + std::move(html) +
                          kFooterHtml + "</body></html>"};
}

}  // namespace

const TemplateText& DefaultTemplate(domain::MailTemplate kind) {
  using domain::MailTemplate;
  static const TemplateText created = Make(
      "{{ticket_title}}",
      "Ticket {{ticket_number}} \"{{ticket_title}}\" was opened by {{reporter_name}}.\nStatus: {{ticket_status}}",
      "<p>Ticket <b>{{ticket_number}}</b> &ldquo;{{ticket_title}}&rdquo; was opened by {{reporter_name}}.</p>"
      "<p>Status: {{ticket_status}}</p>");
  static const TemplateText assigned = Make(
      "{{ticket_title}} (assigned to you)",
      "Ticket {{ticket_number}} \"{{ticket_title}}\" is now assigned to {{assignee_name}}.\n"
      "Reporter: {{reporter_name}}\nStatus: {{ticket_status}}",
      "<p>Ticket <b>{{ticket_number}}</b> &ldquo;{{ticket_title}}&rdquo; is now assigned to "
      "{{assignee_name}}.</p><p>Reporter: {{reporter_name}}<br>Status: {{ticket_status}}</p>");
  static const TemplateText comment = Make(
      "{{ticket_title}} (new comment)",
      "New comment on {{ticket_number}} \"{{ticket_title}}\":\n\n{{comment_body}}",
      "<p>New comment on <b>{{ticket_number}}</b> &ldquo;{{ticket_title}}&rdquo;:</p>"
      "<blockquote style=\"white-space:pre-wrap\">{{comment_body}}</blockquote>");
  static const TemplateText resolved = Make(
      "{{ticket_title}} (resolved)",
      "Ticket {{ticket_number}} \"{{ticket_title}}\" was resolved.\n"
      "Is everything working again? If not, reply to this mail and the ticket reopens.",
      "<p>Ticket <b>{{ticket_number}}</b> &ldquo;{{ticket_title}}&rdquo; was resolved.</p>"
      "<p>Is everything working again? If not, reply to this mail and the ticket reopens.</p>");
  static const TemplateText closed = Make(
      "{{ticket_title}} (closed)", "Ticket {{ticket_number}} \"{{ticket_title}}\" was closed.",
      "<p>Ticket <b>{{ticket_number}}</b> &ldquo;{{ticket_title}}&rdquo; was closed.</p>");
  static const TemplateText status = Make(
      "{{ticket_title}} (now {{ticket_status}})",
      "Ticket {{ticket_number}} \"{{ticket_title}}\" is now {{ticket_status}}.",
      "<p>Ticket <b>{{ticket_number}}</b> &ldquo;{{ticket_title}}&rdquo; is now {{ticket_status}}.</p>");
  static const TemplateText digest{
      "Morning digest {{date}}",
      "Open tickets on {{date}}:\n{{#groups}}\n{{priority}}\n{{#tickets}}  {{ticket_number}} {{ticket_title}} "
      "[{{ticket_status}}]{{#due_at}} due {{due_at}}{{/due_at}}{{#overdue}} OVERDUE{{/overdue}}"
      "{{#sla_breached}} SLA BREACHED{{/sla_breached}}\n    "
      "{{ticket_url}}\n{{/tickets}}{{/groups}}\nAll tickets: {{ticket_url}}\n",
      "<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><h1>Open tickets on {{date}}</h1>"
      "{{#groups}}<h2>{{priority}}</h2><ul>{{#tickets}}<li><a href=\"{{ticket_url}}\">{{ticket_number}}</a> "
      "{{ticket_title}} [{{ticket_status}}]{{#due_at}} due {{due_at}}{{/due_at}}{{#overdue}} "
      "<b style=\"color:#b00\">overdue</b>{{/overdue}}{{#sla_breached}} <b style=\"color:#b00\">SLA breached</b>"
      "{{/sla_breached}}</li>{{/tickets}}</ul>{{/groups}}"
      "<p><a href=\"{{ticket_url}}\">All tickets</a></p></body></html>"};
  switch (kind) {
    case MailTemplate::kTicketCreated:
      return created;
    case MailTemplate::kTicketAssigned:
      return assigned;
    case MailTemplate::kCommentAdded:
      return comment;
    case MailTemplate::kTicketResolved:
      return resolved;
    case MailTemplate::kTicketClosed:
      return closed;
    case MailTemplate::kStatusChanged:
      return status;
    case MailTemplate::kDigest:
      return digest;
  }
  return created;
}

}  // namespace ticketd::mail

// The mail templates (MAIL.md's template column) and why a mail was not
// sent: the names everything about mail refers to. Facts once: a new kind is
// one enumerator and one row.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace ticketd::domain {

// Persistent values (stored in queue entries): never renumber.
enum class MailTemplate {
  kTicketCreated = 0,
  kTicketAssigned = 1,
  kCommentAdded = 2,
  kTicketResolved = 3,
  kTicketClosed = 4,
  kStatusChanged = 5,
  kDigest = 6,
  kSlaEscalated = 7,  // WORKFLOW.md escalate.notify (beyond MAIL.md's table)
};
struct MailTemplateRow {
  MailTemplate kind;
  std::string_view name;  // the contract's template name, also the {event} of the routes
};
inline constexpr std::array<MailTemplateRow, 8> kMailTemplates = {{
    {MailTemplate::kTicketCreated, "ticket.created"},
    {MailTemplate::kTicketAssigned, "ticket.assigned"},
    {MailTemplate::kCommentAdded, "ticket.comment_added"},
    {MailTemplate::kTicketResolved, "ticket.resolved"},
    {MailTemplate::kTicketClosed, "ticket.closed"},
    {MailTemplate::kStatusChanged, "ticket.status_changed"},
    {MailTemplate::kDigest, "digest"},
    {MailTemplate::kSlaEscalated, "ticket.sla_escalated"},
}};
std::string_view ToString(MailTemplate kind);
std::optional<MailTemplate> ParseMailTemplate(std::string_view name);

// Why a mail was not sent (persistent values: never renumber).
enum class MailDropReason { kQuota = 0, kDisabled = 1, kErased = 2 };
std::string_view ToString(MailDropReason reason);

}  // namespace ticketd::domain

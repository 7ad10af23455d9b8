// Who gets which mail (MAIL.md "Who gets which mail"), as a pure function of
// one committed event and the read-model facts it needs. The notifier
// (app/mail_notifier) gathers the facts and queues what this returns; it
// never decides a recipient itself. A new event that should mail someone is
// one branch in PlanTicketMails (mail_rules.cc) and, if it has its own
// template, one row in kMailTemplates.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "ticketd/domain/events.h"
#include "ticketd/domain/id.h"

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
};
struct MailTemplateRow {
  MailTemplate kind;
  std::string_view name;  // the contract's template name, also the {event} of the routes
};
inline constexpr std::array<MailTemplateRow, 7> kMailTemplates = {{
    {MailTemplate::kTicketCreated, "ticket.created"},
    {MailTemplate::kTicketAssigned, "ticket.assigned"},
    {MailTemplate::kCommentAdded, "ticket.comment_added"},
    {MailTemplate::kTicketResolved, "ticket.resolved"},
    {MailTemplate::kTicketClosed, "ticket.closed"},
    {MailTemplate::kStatusChanged, "ticket.status_changed"},
    {MailTemplate::kDigest, "digest"},
}};
std::string_view ToString(MailTemplate kind);
std::optional<MailTemplate> ParseMailTemplate(std::string_view name);

// Why a mail was not sent (persistent values: never renumber).
enum class MailDropReason { kQuota = 0, kDisabled = 1, kErased = 2 };
std::string_view ToString(MailDropReason reason);

// What the rules need to know besides the event, as of the notifier's read.
struct MailFacts {
  Id reporter_id;                  // the ticket's reporter
  std::optional<Id> assignee_id;   // the ticket's assignee after the event
  std::vector<Id> staff;           // users of the tenant holding tickets:manage (admins included)
  bool notifications_enabled = true;  // the tenant's email_notifications feature
};

struct PlannedMail {
  Id recipient;
  MailTemplate kind = MailTemplate::kTicketCreated;
  // Set when the mail is recorded but not sent (email_notifications off).
  std::optional<MailDropReason> dropped;
  friend bool operator==(const PlannedMail&, const PlannedMail&) = default;
};

// The mails one ticket event causes: each recipient at most once, never the
// actor (but for the creation receipt), reporters never for an internal
// comment. Directory events and ticket events that mail nobody: empty.
std::vector<PlannedMail> PlanTicketMails(const DomainEvent& event, const MailFacts& facts);

// The digest's recipients: every IT-staff member (staff is already that).
std::vector<PlannedMail> PlanDigestMails(const MailFacts& facts);

}  // namespace ticketd::domain

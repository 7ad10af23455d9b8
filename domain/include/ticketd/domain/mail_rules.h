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
#include "ticketd/domain/mail_template_kind.h"

namespace ticketd::domain {


// What the rules need to know besides the event, as of the notifier's read.
struct MailFacts {
  Id reporter_id;                  // the ticket's reporter
  std::optional<Id> assignee_id;   // the ticket's assignee after the event
  std::vector<Id> staff;           // users of the tenant holding tickets:manage (admins included)
  bool notifications_enabled = true;  // the tenant's email_notifications feature
  // Only for an sla.escalated event (the notifier fills them for it alone):
  std::vector<Id> team;      // the active members of the ticket group's team_ids
  std::vector<Id> managers;  // the tenant's active users of role manager
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
// comment. An sla.escalated event mails whom its policy's notify names
// (assignee, team, managers). Directory events and ticket events that mail
// nobody: empty.
std::vector<PlannedMail> PlanTicketMails(const DomainEvent& event, const MailFacts& facts);

// The digest's recipients: every IT-staff member (staff is already that).
std::vector<PlannedMail> PlanDigestMails(const MailFacts& facts);

}  // namespace ticketd::domain

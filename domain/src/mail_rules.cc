#include "ticketd/domain/mail_rules.h"

#include "ticketd/domain/mail_events.h"

#include <algorithm>

#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {
namespace {

// Appends `who` once, unless it is the actor (when `skip_actor`).
class RecipientList {
 public:
  RecipientList(const DomainEvent& event, MailTemplate kind) : actor_(event.actor_id), kind_(kind) {}
  void Add(const Id& who, bool skip_actor = true) {
    if (skip_actor && who == actor_) return;
    if (std::find(ids_.begin(), ids_.end(), who) != ids_.end()) return;
    ids_.push_back(who);
  }
  void AddAll(const std::vector<Id>& who) {
    for (const Id& id : who) Add(id);
  }
  std::vector<PlannedMail> Take(const MailFacts& facts) const {
    std::vector<PlannedMail> mails;
    for (const Id& id : ids_) {
      PlannedMail mail{id, kind_, std::nullopt};
      if (!facts.notifications_enabled) mail.dropped = MailDropReason::kDisabled;
      mails.push_back(mail);
    }
    return mails;
  }

 private:
  Id actor_;
  MailTemplate kind_;
  std::vector<Id> ids_;
};

MailTemplate StatusTemplate(TicketStatus to) {
  switch (to) {
    case TicketStatus::kResolved:
      return MailTemplate::kTicketResolved;
    case TicketStatus::kClosed:
      return MailTemplate::kTicketClosed;
    case TicketStatus::kOpen:
    case TicketStatus::kInProgress:
    case TicketStatus::kOnHold:
    case TicketStatus::kCancelled:
      return MailTemplate::kStatusChanged;
  }
  return MailTemplate::kStatusChanged;
}

// WORKFLOW.md escalate.notify: each named audience, everyone once. The
// event is the system's (no actor), so nobody is left out as the actor.
std::vector<PlannedMail> PlanEscalationMails(const DomainEvent& event, const SlaEscalated& escalated,
                                             const MailFacts& facts) {
  RecipientList list(event, MailTemplate::kSlaEscalated);
  for (SlaNotify who : escalated.notify) {
    switch (who) {
      case SlaNotify::kAssignee:
        if (facts.assignee_id) list.Add(*facts.assignee_id);
        break;
      case SlaNotify::kTeam:
        list.AddAll(facts.team);
        break;
      case SlaNotify::kManagers:
        list.AddAll(facts.managers);
        break;
    }
  }
  return list.Take(facts);
}

}  // namespace

std::string_view ToString(MailTemplate kind) {
  for (const MailTemplateRow& row : kMailTemplates)
    if (row.kind == kind) return row.name;
  return "unknown";
}

std::optional<MailTemplate> ParseMailTemplate(std::string_view name) {
  for (const MailTemplateRow& row : kMailTemplates)
    if (row.name == name) return row.kind;
  return std::nullopt;
}

std::string_view ToString(MailDropReason reason) {
  switch (reason) {
    case MailDropReason::kQuota:
      return "quota";
    case MailDropReason::kDisabled:
      return "disabled";
    case MailDropReason::kErased:
      return "erased";
  }
  return "unknown";
}

std::vector<PlannedMail> PlanTicketMails(const DomainEvent& event, const MailFacts& facts) {
  std::vector<PlannedMail> mails;
  VisitTicketEvent(event.payload,
                   Overloaded{
                       [&](const TicketCreated& e) {
                         RecipientList list(event, MailTemplate::kTicketCreated);
                         list.Add(e.reporter_id, /*skip_actor=*/false);  // the receipt
                         list.AddAll(facts.staff);
                         mails = list.Take(facts);
                       },
                       [&](const TicketAssigned& e) {
                         if (!e.assignee_id) return;
                         RecipientList list(event, MailTemplate::kTicketAssigned);
                         list.Add(*e.assignee_id);
                         mails = list.Take(facts);
                       },
                       [&](const TicketStatusChanged& e) {
                         RecipientList list(event, StatusTemplate(e.to));
                         list.Add(facts.reporter_id);
                         mails = list.Take(facts);
                       },
                       [&](const CommentAdded& e) {
                         if (e.internal) return;  // staff talk: nobody is mailed, surely not the reporter
                         RecipientList list(event, MailTemplate::kCommentAdded);
                         if (event.actor_id != facts.reporter_id) {
                           list.Add(facts.reporter_id);
                         } else if (facts.assignee_id) {
                           list.Add(*facts.assignee_id);
                         } else {
                           list.AddAll(facts.staff);
                         }
                         mails = list.Take(facts);
                       },
                       [](const TicketUpdated&) {},
                       [](const TicketDeleted&) {},
                       [](const TicketErased&) {},
                       [&](const SlaTicketEvent& e) {
                         if (const auto* escalated = std::get_if<SlaEscalated>(&e))
                           mails = PlanEscalationMails(event, *escalated, facts);
                       },
                       [](const AttachmentAdded&) {},  // the comment or ticket it came with is the mail
                   });
  return mails;
}

std::vector<PlannedMail> PlanDigestMails(const MailFacts& facts) {
  DomainEvent nobody;  // the digest has no actor: everyone on the list gets it
  RecipientList list(nobody, MailTemplate::kDigest);
  for (const Id& id : facts.staff) list.Add(id, /*skip_actor=*/false);
  return list.Take(facts);
}

}  // namespace ticketd::domain

namespace ticketd::domain {

std::string_view MailEventTypeName(const MailEvent& event) {
  return std::visit(Overloaded{
                        [](const EmailTemplateSet&) { return std::string_view("email_template.set"); },
                        [](const EmailTemplateReset&) { return std::string_view("email_template.reset"); },
                    },
                    event);
}

}  // namespace ticketd::domain

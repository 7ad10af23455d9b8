// ChangesOf: what one event changed on a ticket, old -> new, for the audit trail.
#include "ticketd/domain/history.h"

#include "ticketd/domain/overloaded.h"
#include "ticketd/domain/time.h"

namespace ticketd::domain {
namespace {

HistoryValue Value(const std::string& s) { return s; }
HistoryValue Value(Priority p) { return std::string(ToString(p)); }
HistoryValue Value(TicketStatus s) { return std::string(ToString(s)); }
HistoryValue Value(TicketType t) { return std::string(ToString(t)); }
HistoryValue Value(const Id& id) { return id.ToString(); }
HistoryValue Value(const std::optional<Id>& id) { return id ? Value(*id) : HistoryValue(nullptr); }
HistoryValue Value(const std::optional<Timestamp>& t) {
  return t ? HistoryValue(FormatRfc3339(*t)) : HistoryValue(nullptr);
}
HistoryValue OptionalText(const std::string& s) { return s.empty() ? HistoryValue(nullptr) : Value(s); }

}  // namespace

std::vector<FieldChange> ChangesOf(const TicketState& before, const DomainEvent& event) {
  const Ticket& t = before.ticket;
  std::vector<FieldChange> changes;
  auto add = [&](std::string field, HistoryValue from, HistoryValue to) {
    changes.push_back(FieldChange{std::move(field), std::move(from), std::move(to)});
  };
  VisitTicketEvent(
      event.payload,
      Overloaded{
          [&](const TicketCreated& e) {
            add("number", nullptr, Value(e.number_text));
            add("subject", nullptr, Value(e.subject));
            add("description", nullptr, Value(e.description));
            add("status", nullptr, Value(TicketStatus::kOpen));
            add("priority", nullptr, Value(e.priority));
            add("type", nullptr, Value(e.type));
            if (!e.category.empty()) add("category", nullptr, Value(e.category));
            add("reporter_id", nullptr, Value(e.reporter_id));
            if (e.assignee_id) add("assignee_id", nullptr, Value(e.assignee_id));
            if (e.asset_id) add("asset_id", nullptr, Value(e.asset_id));
            if (e.due_at) add("due_at", nullptr, Value(e.due_at));
            if (e.group_id) add("group_id", nullptr, Value(e.group_id));
            if (e.category_id) add("category_id", nullptr, Value(e.category_id));
            if (e.subcategory_id) add("subcategory_id", nullptr, Value(e.subcategory_id));
          },
          [&](const TicketUpdated& e) {
            if (e.subject) add("subject", Value(t.subject), Value(*e.subject));
            if (e.description) add("description", Value(t.description), Value(*e.description));
            if (e.category) add("category", OptionalText(t.category), OptionalText(*e.category));
            if (e.priority) add("priority", Value(t.priority), Value(*e.priority));
            if (e.due_at) add("due_at", Value(t.due_at), Value(*e.due_at));
            if (e.asset_id) add("asset_id", Value(t.asset_id), Value(*e.asset_id));
            if (e.group_id) add("group_id", Value(t.group_id), Value(*e.group_id));
            if (e.category_id) add("category_id", Value(t.category_id), Value(*e.category_id));
            if (e.subcategory_id) add("subcategory_id", Value(t.subcategory_id), Value(*e.subcategory_id));
          },
          [&](const TicketAssigned& e) { add("assignee_id", Value(t.assignee_id), Value(e.assignee_id)); },
          [&](const TicketStatusChanged& e) { add("status", Value(e.from), Value(e.to)); },
          [&](const CommentAdded& e) {
            add("comment_id", nullptr, Value(e.comment_id));
            add("internal", nullptr, e.internal);
          },
          [&](const SlaTicketEvent& e) {
            // A breach changes no field (its target and due time are the item's details).
            if (const auto* escalated = std::get_if<SlaEscalated>(&e); escalated && escalated->raised_to)
              add("priority", Value(t.priority), Value(*escalated->raised_to));
          },
          [&](const AttachmentAdded& e) {
            add("attachment_id", nullptr, Value(e.attachment_id));
            if (e.comment_id) add("comment_id", nullptr, Value(e.comment_id));
            add("filename", nullptr, Value(e.filename));
            add("sha256", nullptr, Value(e.sha256));
          },
          [&](const TicketDeleted&) {},
          [&](const TicketErased&) {
            add("subject", Value(t.subject), Value(std::string(kErasedText)));
            add("description", Value(t.description), Value(std::string(kErasedText)));
          },
      });
  return changes;
}

std::vector<HistoryDetail> DetailsOf(const DomainEvent& event) {
  std::vector<HistoryDetail> details;
  auto add = [&](std::string key, HistoryValue value) {
    details.push_back(HistoryDetail{std::move(key), std::move(value)});
  };
  VisitTicketEvent(event.payload,
                   Overloaded{
                       [](const TicketCreated&) {},
                       [](const TicketUpdated&) {},
                       [&](const TicketAssigned& e) {
                         add("assignee_id", Value(e.assignee_id));
                         if (e.rule != AssignmentMode::kManual) add("rule", std::string(ToString(e.rule)));
                       },
                       [&](const TicketStatusChanged& e) {
                         add("from", Value(e.from));
                         add("to", Value(e.to));
                         if (!e.reason.empty()) add("reason", e.reason);
                       },
                       [&](const CommentAdded& e) {
                         add("comment_id", Value(e.comment_id));
                         add("internal", e.internal);
                       },
                       [&](const SlaTicketEvent& e) {
                         std::visit(Overloaded{
                                        [&](const SlaBreached& b) {
                                          add("target", std::string(ToString(b.target)));
                                          add("due_at", Value(std::optional<Timestamp>(b.due_at)));
                                        },
                                        [&](const SlaEscalated& x) {
                                          add("target", std::string(ToString(x.target)));
                                          if (x.raised_to) add("raised_to", Value(*x.raised_to));
                                          std::string notify;
                                          for (SlaNotify n : x.notify)
                                            notify += (notify.empty() ? "" : ",") + std::string(ToString(n));
                                          if (!notify.empty()) add("notify", notify);
                                        },
                                    },
                                    e);
                       },
                       [&](const AttachmentAdded& e) {
                         add("attachment_id", Value(e.attachment_id));
                         if (e.comment_id) add("comment_id", Value(*e.comment_id));
                       },
                       [](const TicketDeleted&) {},
                       [](const TicketErased&) {},
                   });
  return details;
}

bool IsAgentOnly(const DomainEvent& event) {
  if (const auto* attachment = std::get_if<AttachmentAdded>(&event.payload)) return attachment->internal;
  const auto* comment = std::get_if<CommentAdded>(&event.payload);
  return comment && comment->internal;
}

}  // namespace ticketd::domain

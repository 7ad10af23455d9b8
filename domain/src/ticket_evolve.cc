// EvolveTicket: folds one event of a ticket's stream into its state.
#include <cassert>

#include "ticketd/domain/overloaded.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::domain {

TicketState EvolveTicket(TicketState state, const DomainEvent& event) {
  Ticket& t = state.ticket;
  const bool applied = VisitTicketEvent(event.payload, Overloaded{
                 [&](const TicketCreated& e) {
                   state.phase = TicketState::Phase::kLive;
                   t = Ticket{};
                   t.id = e.ticket_id;
                   t.tenant_id = event.tenant_id;
                   t.number = e.number;
                   t.number_text = e.number_text;
                   t.subject = e.subject;
                   t.description = e.description;
                   t.priority = e.priority;
                   t.type = e.type;
                   t.category = e.category;
                   t.reporter_id = e.reporter_id;
                   t.assignee_id = e.assignee_id;
                   t.asset_id = e.asset_id;
                   t.due_at = e.due_at;
                   t.group_id = e.group_id;
                   t.category_id = e.category_id;
                   t.subcategory_id = e.subcategory_id;
                   t.status = TicketStatus::kOpen;
                   t.created_at = event.at;
                 },
                 [&](const TicketUpdated& e) {
                   if (e.subject) t.subject = *e.subject;
                   if (e.description) t.description = *e.description;
                   if (e.category) t.category = *e.category;
                   if (e.priority) t.priority = *e.priority;
                   if (e.due_at) t.due_at = *e.due_at;
                   if (e.asset_id) t.asset_id = *e.asset_id;
                   if (e.group_id) t.group_id = *e.group_id;
                   if (e.category_id) t.category_id = *e.category_id;
                   if (e.subcategory_id) t.subcategory_id = *e.subcategory_id;
                 },
                 [&](const TicketAssigned& e) { t.assignee_id = e.assignee_id; },
                 [&](const TicketStatusChanged& e) {
                   t.status = e.to;
                   t.sla_history.changes.push_back({event.at, e.to});
                   t.closed_at = e.to == TicketStatus::kClosed ? std::optional(event.at) : std::nullopt;
                 },
                 [&](const SlaTicketEvent& e) { EvolveTicketSla(t, e); },
                 [&](const CommentAdded&) {},
                 [&](const AttachmentAdded& e) {
                   t.attachment_count += 1;
                   if (e.internal) t.internal_attachment_count += 1;
                 },
                 [&](const TicketDeleted&) { state.phase = TicketState::Phase::kDeleted; },
                 [&](const TicketErased&) {
                   t.subject = kErasedText;
                   t.description = kErasedText;
                   t.erased_at = event.at;
                 },
                                                          });
  assert(applied && "a directory event was folded into a ticket");
  if (applied) {
    t.version += 1;
    t.updated_at = event.at;
  }
  return state;
}

}  // namespace ticketd::domain

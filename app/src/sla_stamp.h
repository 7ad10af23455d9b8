// Keeps each ticket's SLA reading (Ticket::sla) current: the shell's half
// of the SLA clock. It knows what the pure domain cannot fold from a ticket's
// own stream: the tenant's policies, whether a commenter is staff, and real
// time zones. Called by the write model after each ticket event and for the
// governed tickets after a policy change. Pure over its inputs (the time
// zone clocks are read-only); writer thread.
#pragma once

#include "ticketd/domain/directory.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::app {

// After `event` was folded into `ticket` (`tenant` may be null: no policies).
void StampSlaAfterEvent(domain::Ticket& ticket, const domain::DomainEvent& event, const domain::TenantState* tenant);

// After a policy of the tenant changed: recomputes an open ticket's reading
// from its history (a deleted policy's tickets choose again). Returns
// whether the ticket's reading changed.
bool RestampSla(domain::Ticket& ticket, const domain::TenantState& tenant);

}  // namespace ticketd::app

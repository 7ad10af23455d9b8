// Idempotent creates: a POST /api/v1/tickets retried with the same
// Idempotency-Key lands on the ticket the key derived, and is a replay only
// if it asks for exactly what that ticket was created with. Pure.
#pragma once

#include "ticketd/domain/events.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::domain {

// True when `retry` carries the same fields as the create that recorded
// `created`. Text a later erasure replaced ("[erased]") matches anything:
// what it was can no longer be told, and the ticket is the same.
bool IsSameCreate(const CreateTicket& retry, const TicketCreated& created);

}  // namespace ticketd::domain

// TicketProjector: what every ticket read model implements so the engine can
// feed them all the same way. Called on the engine's writer thread, in log
// order, after the event's batch is synced (and during recovery).
#pragma once

#include "ticketd/domain/events.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections {

class TicketProjector {
 public:
  virtual ~TicketProjector() = default;
  // One ticket-stream event. `before` is null for a creation, `after` null
  // for a deletion (the ticket must then vanish from the read model).
  virtual void OnTicketEvent(const domain::DomainEvent& event, const TicketPtr& before,
                             const TicketPtr& after) = 0;
};

}  // namespace ticketd::projections

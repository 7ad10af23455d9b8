// SLA attainment per priority (analytics, workflow issue 12): how many
// tickets with an SLA missed a target (a recorded sla.breached) and how many
// were resolved or closed without one. Counted from the ticket list's
// indexes (status, priority and SLA-state bitmaps) on request, so it keeps
// no state of its own and follows policy changes and escalations at once.
// Thread-safe (reads through TicketReadModel::Query).
#pragma once

#include <array>
#include <cstdint>

#include "ticketd/domain/id.h"
#include "ticketd/domain/status_facts.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections {

struct SlaAttainment {
  std::int64_t met = 0;       // resolved or closed, no recorded breach
  std::int64_t breached = 0;  // a recorded breach, any status
};

// Indexed by Priority's value, by each ticket's current priority.
std::array<SlaAttainment, domain::kPriorityCount> SlaAttainmentByPriority(const TicketReadModel& tickets,
                                                                           const domain::Id& tenant_id);

}  // namespace ticketd::projections

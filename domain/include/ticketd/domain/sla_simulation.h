// What-if for SLA policies (WORKFLOW.md `POST /api/v1/sla-policies/simulate`):
// the tickets of a period replayed under a candidate policy that comes first
// by `order`, compared with what happened under the real ones. Pure: each
// ticket's SLA history is already folded into the ticket (Ticket::sla_history),
// so no log is read; the shell supplies the tickets, the zone and "now".
//
// Thread-safety: values and free functions; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ticketd/domain/id.h"
#include "ticketd/domain/sla.h"
#include "ticketd/domain/ticket_value.h"

namespace ticketd::domain {

// The targets a clock shows as missed at `now` (met late, or unmet and
// due), in kAllSlaTargets order.
std::vector<SlaTarget> MissedTargets(const SlaClock& clock, Timestamp now);

// One ticket whose outcome differs: the targets it missed under its real
// policy (the recorded sla.breached events) and under the candidate.
struct SlaSimulationChange {
  Id ticket_id;
  std::int64_t number = 0;
  std::string number_text;  // "TKT-000042", as the ticket JSON shows it
  std::vector<SlaTarget> before;
  std::vector<SlaTarget> after;
  friend bool operator==(const SlaSimulationChange&, const SlaSimulationChange&) = default;
};

struct SlaSimulation {
  std::size_t tickets = 0;       // tickets of the period
  std::size_t breached_now = 0;  // ... that missed a target under their real policy
  std::size_t would_breach = 0;  // ... that would miss one with the candidate first
  std::vector<SlaSimulationChange> changed;  // in the order the tickets were added
};

// Adds `ticket` to `out`. The candidate governs it if its applies_to
// matches the ticket's current priority, type and group (it comes first by
// order); otherwise the real outcome stands. `zone`: the candidate
// calendar's zone.
void SimulateTicket(const SlaPolicy& candidate, const ZoneClock& zone, const Ticket& ticket, Timestamp now,
                    SlaSimulation* out);

}  // namespace ticketd::domain

// SLA what-if: one ticket at a time, no allocation beyond the clock's own
// for a ticket the candidate does not govern.
#include "ticketd/domain/sla_simulation.h"

#include <algorithm>

namespace ticketd::domain {
namespace {

// Recorded breaches in kAllSlaTargets order, without repeats.
std::vector<SlaTarget> Normalized(std::vector<SlaTarget> targets) {
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  return targets;
}

}  // namespace

std::vector<SlaTarget> MissedTargets(const SlaClock& clock, Timestamp now) {
  std::vector<SlaTarget> missed;
  for (SlaTarget target : kAllSlaTargets)
    if (IsMissed(clock, target, now)) missed.push_back(target);
  return missed;
}

void SimulateTicket(const SlaPolicy& candidate, const ZoneClock& zone, const Ticket& ticket, Timestamp now,
                    SlaSimulation* out) {
  out->tickets += 1;
  const bool breached = ticket.sla && !ticket.sla->breached.empty();
  out->breached_now += breached ? 1 : 0;
  if (!Matches(candidate.applies_to, SlaTicketFacts{ticket.priority, ticket.type, ticket.group_id})) {
    out->would_breach += breached ? 1 : 0;  // its real policy still governs it
    return;
  }
  std::vector<SlaTarget> after =
      MissedTargets(ComputeSlaClock(candidate, zone, ticket.created_at, ticket.sla_history), now);
  out->would_breach += after.empty() ? 0 : 1;
  std::vector<SlaTarget> before = breached ? Normalized(ticket.sla->breached.ToVector()) : std::vector<SlaTarget>{};
  if (before != after)
    out->changed.push_back(SlaSimulationChange{ticket.id, ticket.number, ticket.number_text, std::move(before), std::move(after)});
}

}  // namespace ticketd::domain

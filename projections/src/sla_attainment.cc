#include "ticketd/projections/sla_attainment.h"

namespace ticketd::projections {
namespace {

// The number of the tenant's tickets matching `query` (its total).
std::int64_t CountOf(const TicketReadModel& tickets, const domain::Id& tenant_id, TicketQuery query) {
  query.page_size = 1;
  TicketPage page;
  if (!tickets.Query(tenant_id, query, &page).ok()) return 0;  // only a bad cursor fails; there is none
  return static_cast<std::int64_t>(page.total);
}

}  // namespace

std::array<SlaAttainment, domain::kPriorityCount> SlaAttainmentByPriority(const TicketReadModel& tickets,
                                                                           const domain::Id& tenant_id) {
  std::array<SlaAttainment, domain::kPriorityCount> out{};
  for (domain::Priority priority : domain::kAllPriorities) {
    TicketQuery breached;
    breached.priorities = {priority};
    breached.sla_breached = true;
    TicketQuery met;
    met.priorities = {priority};
    met.statuses = {domain::TicketStatus::kResolved, domain::TicketStatus::kClosed};
    met.sla_breached = false;
    out[static_cast<std::size_t>(priority)] = {CountOf(tickets, tenant_id, std::move(met)),
                                               CountOf(tickets, tenant_id, std::move(breached))};
  }
  return out;
}

}  // namespace ticketd::projections

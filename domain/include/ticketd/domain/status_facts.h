// Facts about each ticket status, defined once beside the transition table
// (ticket.h: AllowedTransitions). Code that asks "is this ticket still being
// worked on?" or "is it finished?" reads the answer here instead of listing
// statuses, and arrays indexed by status take their size from kStatusCount,
// so a new status is one row here plus its transitions.
#pragma once

#include <array>
#include <cstddef>

#include "ticketd/domain/types.h"

namespace ticketd::domain {

struct StatusFacts {
  TicketStatus status;
  // Open or in progress: work waiting for IT; listed by the morning digest.
  bool active;
  // Closed or cancelled: finished for good unless reopened; such a ticket
  // cannot be assigned and no longer holds its asset.
  bool terminal;
  // Resolved or closed: moving to or from it needs tickets:close, and the
  // reporter may close (from resolved) or reopen (to open) their own ticket.
  bool done;
};

inline constexpr std::size_t kStatusCount = kAllStatuses.size();
inline constexpr std::size_t kPriorityCount = kAllPriorities.size();
inline constexpr std::size_t kTicketTypeCount = kAllTypes.size();
inline constexpr std::size_t kRoleCount = kAllRoles.size();

//                                        status                    active terminal done
inline constexpr std::array<StatusFacts, kStatusCount> kStatusFacts = {{
    {TicketStatus::kOpen, /*active=*/true, /*terminal=*/false, /*done=*/false},
    {TicketStatus::kInProgress, /*active=*/true, /*terminal=*/false, /*done=*/false},
    {TicketStatus::kOnHold, /*active=*/false, /*terminal=*/false, /*done=*/false},
    {TicketStatus::kResolved, /*active=*/false, /*terminal=*/false, /*done=*/true},
    {TicketStatus::kClosed, /*active=*/false, /*terminal=*/true, /*done=*/true},
    {TicketStatus::kCancelled, /*active=*/false, /*terminal=*/true, /*done=*/false},
}};

// The table is indexed by the enum's value and lists every status in order.
consteval bool StatusFactsInEnumOrder() {
  for (std::size_t i = 0; i < kStatusCount; ++i)
    if (kStatusFacts[i].status != kAllStatuses[i] || static_cast<std::size_t>(kAllStatuses[i]) != i) return false;
  return true;
}
static_assert(StatusFactsInEnumOrder(), "kStatusFacts must list kAllStatuses in enum order");

constexpr const StatusFacts& FactsOf(TicketStatus status) {
  return kStatusFacts[static_cast<std::size_t>(status)];
}
constexpr bool IsActive(TicketStatus status) { return FactsOf(status).active; }
constexpr bool IsTerminal(TicketStatus status) { return FactsOf(status).terminal; }
constexpr bool IsDone(TicketStatus status) { return FactsOf(status).done; }

// Index of an enum value in its kAll* list (the values are 0..N-1).
template <class Enum>
constexpr std::size_t IndexOf(Enum value) {
  return static_cast<std::size_t>(value);
}

}  // namespace ticketd::domain

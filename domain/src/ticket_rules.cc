// The ticket state machine and the read rules.
#include <array>

#include "ticketd/domain/ticket.h"

namespace ticketd::domain {
namespace {

using S = TicketStatus;

constexpr std::array<S, 5> kFromOpen = {S::kInProgress, S::kOnHold, S::kResolved, S::kClosed, S::kCancelled};
constexpr std::array<S, 5> kFromInProgress = {S::kOpen, S::kOnHold, S::kResolved, S::kClosed, S::kCancelled};
constexpr std::array<S, 4> kFromOnHold = {S::kOpen, S::kInProgress, S::kResolved, S::kCancelled};
constexpr std::array<S, 3> kFromResolved = {S::kClosed, S::kOpen, S::kInProgress};
constexpr std::array<S, 1> kFromClosed = {S::kOpen};

}  // namespace

std::span<const TicketStatus> AllowedTransitions(TicketStatus from) {
  switch (from) {
    case S::kOpen:
      return kFromOpen;
    case S::kInProgress:
      return kFromInProgress;
    case S::kOnHold:
      return kFromOnHold;
    case S::kResolved:
      return kFromResolved;
    case S::kClosed:
      return kFromClosed;
    case S::kCancelled:
      return {};
  }
  return {};
}

bool IsTransitionAllowed(TicketStatus from, TicketStatus to) {
  for (TicketStatus allowed : AllowedTransitions(from))
    if (allowed == to) return true;
  return false;
}

bool CanReadTicket(const Actor& actor, const Ticket& ticket) {
  return Can(actor, Permission::kTicketsReadAll, ticket);
}

bool CanSeeInternalComments(const Actor& actor) { return Can(actor, Permission::kTicketsManage); }

TicketState InitialTicketState() { return TicketState{}; }

const CommandHeader& HeaderOf(const TicketCommand& command) {
  return std::visit([](const auto& c) -> const CommandHeader& { return c.header; }, command);
}

}  // namespace ticketd::domain

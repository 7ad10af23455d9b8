// Shared builders for the domain tests: actors of one tenant and tickets
// folded from their events (given events / when command / then events).
#pragma once

#include <vector>

#include "ticketd/domain/directory.h"
#include "test_ids.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::domain::testing {

// constexpr so that the constants below are constant-initialized: test files
// use them in their own globals, whose initialization order is unspecified.
constexpr Id MakeId(std::uint8_t tag, std::uint8_t tenant = 1) { return test_support::TestIdOf(tenant, 0, tag); }

inline constexpr Id kTenant = MakeId(0, 1);
inline constexpr Id kOtherTenant = MakeId(0, 2);
inline constexpr Id kTicket = MakeId(100, 1);  // the id every fixture ticket and Header() uses

struct Actors {
  Actor reporter;        // reported the fixture ticket
  Actor other_reporter;  // same tenant, not the reporter
  Actor agent;
  Actor it_reporter;  // reporter role, department IT
  Actor manager;
  Actor admin;
  Actor foreign_admin;  // admin of another tenant
  Actor platform;
};
const Actors& TheActors();

// A live ticket reported by TheActors().reporter, then moved to `status`.
TicketState TicketIn(TicketStatus status, std::optional<Id> assignee = std::nullopt);
// Folds events into a state.
TicketState Fold(TicketState state, const std::vector<DomainEvent>& events);

CommandHeader Header(const Actor& actor, std::optional<std::int64_t> expected = std::nullopt);
TicketContext ContextWithAgent();  // assignee facts for TheActors().agent

}  // namespace ticketd::domain::testing

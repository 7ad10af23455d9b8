// History: what each event of a ticket changed (old -> new), for the audit
// trail of the API and of ticket-replay. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "ticketd/domain/events.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::domain {

// null, a string (enums by wire name, ids canonical, times RFC 3339), a
// bool, or an integer.
using HistoryValue = std::variant<std::nullptr_t, std::string, bool, std::int64_t>;

struct FieldChange {
  std::string field;
  HistoryValue from;
  HistoryValue to;
};

// The field changes `event` makes to a ticket in `before` (InitialTicketState()
// for the creation). CommentAdded lists comment_id and internal (never the
// body); TicketDeleted lists nothing (the snapshot stays in the log).
std::vector<FieldChange> ChangesOf(const TicketState& before, const DomainEvent& event);

// One entry of a history item's `details`: event-specific data beyond the
// field changes (WORKFLOW.md: "history items gain details").
struct HistoryDetail {
  std::string key;
  HistoryValue value;
};
// The details of a ticket event, in a fixed order; empty when there is
// nothing to add. A status change: from, to and (when the system moved it)
// reason; an assignment: assignee_id and (when a group's rule chose) rule.
std::vector<HistoryDetail> DetailsOf(const DomainEvent& event);

// True for events a reader without agent rights must not see in a history
// (internal comments).
bool IsAgentOnly(const DomainEvent& event);

}  // namespace ticketd::domain

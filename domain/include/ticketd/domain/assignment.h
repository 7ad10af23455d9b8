// Fair assignment (WORKFLOW.md "Teams and fair assignment"): which team
// member gets a new (or moved, unassigned) ticket of a group. Pure: the shell
// supplies each member's facts from its write model (kept up to date per
// event), the decider picks, and the pick is recorded as an event, so a
// replay never decides again.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ticketd/domain/id.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/workflow_types.h"

namespace ticketd::domain {

struct AssignmentCandidate {
  Id user_id;
  bool eligible = false;        // active and holds tickets:manage
  std::int64_t open_load = 0;   // assigned tickets in open, in_progress or on_hold
  std::optional<Timestamp> last_assigned_at;  // last given a ticket by any means; never: nullopt
  friend bool operator==(const AssignmentCandidate&, const AssignmentCandidate&) = default;
};

struct AssignmentFacts {
  Id group_id;
  AssignmentMode mode = AssignmentMode::kManual;
  std::vector<AssignmentCandidate> team;  // in the group's team_ids order
  // round_robin: the member the group's rule picked last (nullopt: none yet).
  std::optional<Id> round_robin_last;
};

// The member to assign, or nullopt (manual mode, or nobody eligible).
// round_robin: the first eligible member after the last one picked, in team
// order, wrapping around (the first one when the last pick left the team).
// least_loaded: the fewest open+in_progress+on_hold tickets; ties go to the
// one assigned longest ago (never assigned first), then to team order.
std::optional<Id> PickAssignee(const AssignmentFacts& facts);

}  // namespace ticketd::domain

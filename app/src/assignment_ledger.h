// AssignmentLedger: what fair assignment needs to know about agents, kept
// up to date per ticket event in O(1) (never a scan of the tickets): each
// user's load (assigned tickets in open, in_progress or on_hold), when each
// user was last given a ticket by any means, and each group's round-robin
// cursor (the member its rule picked last). Part of the write model; writer
// thread only; not thread-safe.
#pragma once

#include <optional>
#include <unordered_map>

#include "ticketd/domain/events.h"
#include "ticketd/domain/ticket_value.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::app {

class AssignmentLedger {
 public:
  // One ticket event: the ticket before and after it (null when it did not
  // exist or was deleted).
  void Observe(const domain::DomainEvent& event, const domain::Ticket* before, const domain::Ticket* after);

  std::int64_t OpenLoad(const domain::Id& user_id) const;
  std::optional<domain::Timestamp> LastAssignedAt(const domain::Id& user_id) const;
  std::optional<domain::Id> RoundRobinLast(const domain::Id& group_id) const;

  void Clear();
  // Canonical (sorted by id); Decode into an empty ledger, false if the bytes do not parse.
  void Encode(projections::BinaryWriter& out) const;
  [[nodiscard]] bool Decode(projections::BinaryReader& in);

 private:
  std::unordered_map<domain::Id, std::int64_t, domain::IdHash> open_load_;
  std::unordered_map<domain::Id, domain::Timestamp, domain::IdHash> last_assigned_;
  std::unordered_map<domain::Id, domain::Id, domain::IdHash> round_robin_last_;
};

}  // namespace ticketd::app

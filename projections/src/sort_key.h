// Sort keys of ticket listings. Every sort is reduced to three integers
// (already transformed so that ascending integer order is the requested
// order, nulls placed), then for the subject sort the subject bytes, then
// the ticket id; "-field" reverses the whole order except where nulls go.
// The per-slot SortRow holds what the keys are computed from, so ordering
// never touches the ticket objects (except to break subject-prefix ties).
// Pure; thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string_view>

#include "ticketd/domain/ticket_value.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::projections {

inline constexpr std::int64_t kNoDue = std::numeric_limits<std::int64_t>::max();

struct SortRow {
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t due_at = kNoDue;  // kNoDue when the ticket has none
  std::int64_t sla_due = kNoDue;  // the earliest unmet SLA due time; kNoDue when none
  std::uint64_t subject_prefix = 0;  // first 8 subject bytes, big-endian, zero-padded
  // The number and the two small values share a word, so a row is 48 bytes,
  // not 56 (issue 12, RSS): numbers count up from 1 per tenant, and
  // MakeSortRow clamps one outside 48 bits (equal numbers are ordered by id).
  std::int64_t number : 48 = 0;
  std::uint64_t priority : 8 = 0;
  std::uint64_t status : 8 = 0;
};
static_assert(sizeof(SortRow) == 48);

inline constexpr std::int64_t kMaxSortRowNumber = (std::int64_t{1} << 47) - 1;

SortRow MakeSortRow(const domain::Ticket& ticket);

struct SortKey {
  std::int64_t k1 = 0, k2 = 0, k3 = 0;
  friend auto operator<=>(const SortKey&, const SortKey&) = default;
};

// kQueue ignores `descending`; every other function expects a normalized spec.
SortSpec Normalize(SortSpec spec);
SortKey KeyOf(const SortRow& row, const SortSpec& spec);

// Queue order: rank (urgent = 0 .. low = 3), then due (none last), then
// updated_at oldest first, then id.
inline std::int64_t QueueRank(std::uint8_t priority) { return 3 - static_cast<std::int64_t>(priority); }

// Three-way comparison of the parts after the integer key: subject bytes
// (subject sort only) and id, reversed for a descending sort.
inline int CompareTail(const SortSpec& spec, std::string_view subject_x, std::string_view subject_y,
                       const domain::Id& id_x, const domain::Id& id_y) {
  int c = 0;
  if (spec.field == SortField::kSubject) {
    const int t = subject_x.compare(subject_y);
    c = t < 0 ? -1 : (t > 0 ? 1 : 0);
  }
  if (c == 0) c = id_x < id_y ? -1 : (id_y < id_x ? 1 : 0);
  return spec.descending ? -c : c;
}

}  // namespace ticketd::projections

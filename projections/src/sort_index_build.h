// SortIndexBuild: one SortIndex built in steps, so that the tenant's lock is
// held only for short copies and never for the sort (sort_index_builder.h
// drives the steps on a background thread; TicketIndex::BuildSortIndex runs
// them all at once).
//
// Under the tenant's (shared) lock, Collect copies each live slot's keys —
// the integer key, the id as integers, subject bytes 8-15 and a reference
// on the ticket for the subject sort — a range of slots at a time. Without
// the lock, Sort orders them; then rounds of ReadChanges (under the lock: the
// current keys of the slots the writer changed since, from TicketIndex's
// change log) and Apply (without: drop those slots' old entries, merge the
// new ones, O(n)) catch up. Prepare (no lock) builds the SortIndex from the
// sorted keys and remembers each slot's rank; Finish (under the lock, with
// the last changes) erases the changed slots by rank — their columns no
// longer hold the values they were placed by — and inserts them by their
// current values: O(changes × log n), after which the index is exactly
// what a build from scratch would give.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "sort_index.h"

namespace ticketd::projections {

class SortIndexBuild {
 public:
  static constexpr int kStatuses = SortIndex::kStatuses;

  // Everything an order comparison reads, side by side: sorting a million
  // never reads the columns at random (status and priority sorts tie on the
  // key for nearly every pair, the subject sort on common prefixes).
  struct Keyed {
    SortKey key;
    std::uint64_t subject_next;  // subject bytes 8-15 (subject sort only), big-endian
    std::uint64_t id_high, id_low;
    std::string_view subject;  // into a ticket the build holds a reference on
    std::uint32_t slot;
    std::uint8_t status;
  };

  // The current keys of changed slots (ReadChanges to Apply).
  struct Changes {
    std::vector<std::uint32_t> slots;  // every changed slot, live or not (sorted, unique)
    std::vector<Keyed> live;           // the live ones' current keys
    std::vector<TicketPtr> holders;    // keep `live`'s subjects alive
  };

  SortIndexBuild(SortColumns columns, SortSpec spec);
  ~SortIndexBuild();

  // Under the tenant's lock.
  void Collect(std::uint32_t begin, std::uint32_t end);  // the live slots in [begin, end)
  // Appends the current keys of the live ones of `slots` (a part of changes.slots).
  void ReadChanges(const std::uint32_t* begin, const std::uint32_t* end, Changes& changes) const;
  void Finish(SortIndex& index, const std::vector<std::uint32_t>& changed);

  // Without the lock. Sort returns false if `stop` was set (the build is then void).
  bool Sort(const std::atomic<bool>& stop);
  void Apply(Changes changes);
  std::unique_ptr<SortIndex> Prepare();

 private:
  Keyed Make(std::uint32_t slot, std::vector<TicketPtr>& holders) const;
  bool Less(const Keyed& a, const Keyed& b) const;

  SortColumns columns_;
  SlotOrder order_;
  std::array<std::vector<Keyed>, kStatuses> sorted_;  // by status; sorted after Sort
  std::vector<TicketPtr> holders_;                    // the subject sort's tickets
  std::vector<std::uint32_t> rank_;                   // by slot, after Prepare: status << 28 | rank, or kNoRank
};

}  // namespace ticketd::projections

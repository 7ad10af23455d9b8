// SortIndex: one tenant's live tickets in the order of one list sort (a
// field and a direction, see sort_key.h), kept ordered as tickets change,
// so a sorted page is a walk from the cursor instead of a scan of every
// candidate. Generic over the sort: the order is KeyOf(SortRow, spec) then
// CompareTail, exactly the order the scan and the cursors use, so a new
// SortField is indexed by adding its key to KeyOf and nothing else.
//
// One ordered group per status (a status filter, the most common one,
// selects groups; a page merges the selected groups' heads). Entries are
// bare slots (4 bytes): comparisons read the SortRow, the id and, for the
// subject sort on prefix ties, the ticket's subject, from the TicketIndex
// columns. The index must therefore be updated while those columns still
// hold the values the entry was inserted with (erase before a row changes,
// insert after). Insert and erase cost O(log n) comparisons plus moving at
// most one chunk (ChunkedSet).
//
// Not thread-safe: the owning partition's lock protects it.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "chunked_set.h"
#include "cursor.h"
#include "paged_vector.h"
#include "sort_key.h"
#include "ticketd/domain/status_facts.h"

namespace ticketd::projections {

// The per-slot columns an order is computed from (owned by TicketIndex).
struct SortColumns {
  const PagedVector<SortRow>* rows = nullptr;
  const PagedVector<domain::Id>* ids = nullptr;
  const PagedVector<TicketPtr>* tickets = nullptr;
};

// The strict order of one sort over slots, and of a cursor against slots.
class SlotOrder {
 public:
  SlotOrder(SortColumns columns, SortSpec spec) : columns_(columns), spec_(spec) {}

  const SortSpec& spec() const { return spec_; }
  SortKey Key(std::uint32_t slot) const { return KeyOf((*columns_.rows)[slot], spec_); }
  const domain::Id& Id(std::uint32_t slot) const { return (*columns_.ids)[slot]; }
  // Only the subject sort reads ticket objects.
  std::string_view Subject(std::uint32_t slot) const {
    return spec_.field == SortField::kSubject ? std::string_view((*columns_.tickets)[slot]->subject)
                                              : std::string_view();
  }

  bool operator()(std::uint32_t a, std::uint32_t b) const {
    const SortKey ka = Key(a), kb = Key(b);
    if (ka != kb) return ka < kb;
    return CompareTail(spec_, Subject(a), Subject(b), Id(a), Id(b)) < 0;
  }
  // True if the cursor position sorts before `slot`.
  bool operator()(const CursorKey& cursor, std::uint32_t slot) const {
    const SortKey key = Key(slot);
    if (cursor.key != key) return cursor.key < key;
    return CompareTail(spec_, cursor.subject, Subject(slot), cursor.id, Id(slot)) < 0;
  }

 private:
  SortColumns columns_;
  SortSpec spec_;
};

class SortIndex {
 public:
  static constexpr int kStatuses = static_cast<int>(domain::kStatusCount);

  // An empty index; SortIndexBuild (sort_index_build.h) fills it.
  SortIndex(SortColumns columns, SortSpec spec);

  const SortSpec& spec() const { return order_.spec(); }
  void Insert(std::uint32_t slot);  // the slot's columns hold its current values
  void Erase(std::uint32_t slot);   // the slot's columns hold the values it was inserted with
  // Building: replaces a status group with `sorted` (in this index's order),
  // and erases entries by rank in a group (even entries whose columns have
  // changed since they were placed: no comparisons).
  void AssignSorted(int status, const std::vector<std::uint32_t>& sorted) { groups_[status].AssignSorted(sorted); }
  void EraseRanks(int status, std::vector<std::size_t> ranks) { groups_[status].EraseRanks(std::move(ranks)); }
  std::size_t GroupSize(int status) const { return groups_[status].size(); }
  // Approximate bytes held (memory accounting, tests and benches).
  std::size_t MemoryBytes() const;

  // Calls visit(slot) for the tickets of the selected statuses (bit mask by
  // enum value) in sort order, starting strictly after `after` or at the
  // front, until visit returns false.
  template <class Fn>
  void Walk(unsigned status_mask, const CursorKey* after, Fn&& visit) const;

 private:
  using Set = ChunkedSet<std::uint32_t, SlotOrder>;
  std::uint8_t StatusOf(std::uint32_t slot) const;

  SortColumns columns_;
  SlotOrder order_;
  std::vector<Set> groups_;  // by status
};

template <class Fn>
void SortIndex::Walk(unsigned status_mask, const CursorKey* after, Fn&& visit) const {
  struct Head {
    const Set* set;
    Set::Position pos;
  };
  std::array<Head, kStatuses> heads;
  int live = 0;
  for (int status = 0; status < kStatuses; ++status) {
    if ((status_mask & (1u << status)) == 0) continue;
    const Set& set = groups_[status];
    Head head{&set, after ? set.UpperBound(*after) : set.Begin()};
    if (!set.AtEnd(head.pos)) heads[live++] = head;
  }
  while (live > 0) {
    int best = 0;
    for (int i = 1; i < live; ++i)
      if (order_(heads[i].set->At(heads[i].pos), heads[best].set->At(heads[best].pos))) best = i;
    Head& head = heads[best];
    if (!visit(head.set->At(head.pos))) return;
    head.set->Advance(head.pos);
    if (head.set->AtEnd(head.pos)) heads[best] = heads[--live];
  }
}

}  // namespace ticketd::projections

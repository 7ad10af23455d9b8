// QueueIndex: one tenant's tickets in queue order, kept ordered as they
// change, so a queue page is a walk from the cursor instead of a sort.
// One ordered group per (status, priority): a status or priority filter
// selects groups, and since priority leads the queue order a page merges
// only the selected statuses' groups of one priority at a time. Within a
// group the order is due (none last), updated_at oldest first, then id.
// Entries are bare slots (4 bytes; a copy of the keys would take 24): the
// order reads due and updated from the slot's SortRow, so an entry must be
// erased while the row still holds the values it was inserted with.
// Not thread-safe: the owning partition's lock protects it.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "ticketd/domain/status_facts.h"
#include "chunked_set.h"
#include "cursor.h"
#include "paged_vector.h"
#include "sort_key.h"
#include "ticketd/domain/id.h"

namespace ticketd::projections {

// A position in queue order that need not be an entry (a cursor).
struct QueueProbe {
  std::int64_t due = 0;
  std::int64_t updated = 0;
  domain::Id id;
};

class QueueLess {
 public:
  QueueLess(const PagedVector<domain::Id>* ids, const PagedVector<SortRow>* rows) : ids_(ids), rows_(rows) {}
  bool operator()(std::uint32_t a, std::uint32_t b) const {
    const SortRow &ra = (*rows_)[a], &rb = (*rows_)[b];
    if (ra.due_at != rb.due_at) return ra.due_at < rb.due_at;
    if (ra.updated_at != rb.updated_at) return ra.updated_at < rb.updated_at;
    return (*ids_)[a] < (*ids_)[b];
  }
  bool operator()(const QueueProbe& p, std::uint32_t e) const {
    const SortRow& re = (*rows_)[e];
    if (p.due != re.due_at) return p.due < re.due_at;
    if (p.updated != re.updated_at) return p.updated < re.updated_at;
    return p.id < (*ids_)[e];
  }

 private:
  const PagedVector<domain::Id>* ids_;
  const PagedVector<SortRow>* rows_;
};

class QueueIndex {
 public:
  static constexpr int kStatuses = static_cast<int>(domain::kStatusCount);
  static constexpr int kPriorities = static_cast<int>(domain::kPriorityCount);

  // `ids` and `rows` (by slot) must outlive the index.
  QueueIndex(const PagedVector<domain::Id>* ids, const PagedVector<SortRow>* rows);

  void Insert(std::uint8_t status, std::uint8_t priority, std::uint32_t slot);
  void Erase(std::uint8_t status, std::uint8_t priority, std::uint32_t slot);
  // Inserts the slots [first, end), none of them in the index yet;
  // group_of(slot) gives their (status, priority). An empty group is filled
  // by one sort instead of one ordered insert per slot (a restart).
  template <class GroupOf>
  void InsertMany(std::uint32_t first, std::uint32_t end, GroupOf&& group_of);
  std::size_t GroupSize(int status, int priority) const { return Group(status, priority).size(); }

  // Calls visit(slot) for the tickets of the selected statuses and
  // priorities (bit masks by enum value) in queue order, starting strictly
  // after `after` (a queue cursor) or at the front, until visit returns false.
  template <class Fn>
  void Walk(unsigned status_mask, unsigned priority_mask, const CursorKey* after, Fn&& visit) const;

 private:
  using Set = ChunkedSet<std::uint32_t, QueueLess>;
  const Set& Group(int status, int priority) const { return groups_[status * kPriorities + priority]; }
  Set& Group(int status, int priority) { return groups_[status * kPriorities + priority]; }

  QueueLess less_;
  std::vector<Set> groups_;
};

template <class GroupOf>
void QueueIndex::InsertMany(std::uint32_t first, std::uint32_t end, GroupOf&& group_of) {
  std::vector<std::vector<std::uint32_t>> added(groups_.size());
  for (std::uint32_t slot = first; slot < end; ++slot) {
    const auto [status, priority] = group_of(slot);
    added[status * kPriorities + priority].push_back(slot);
  }
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    if (!groups_[g].empty()) {
      for (std::uint32_t slot : added[g]) groups_[g].Insert(slot);
      continue;
    }
    std::sort(added[g].begin(), added[g].end(), less_);
    groups_[g].AssignSorted(added[g]);
  }
}

template <class Fn>
void QueueIndex::Walk(unsigned status_mask, unsigned priority_mask, const CursorKey* after, Fn&& visit) const {
  struct Head {
    const Set* set;
    Set::Position pos;
  };
  for (int rank = 0; rank < kPriorities; ++rank) {
    const int priority = kPriorities - 1 - rank;
    if ((priority_mask & (1u << priority)) == 0 || (after && rank < after->key.k1)) continue;
    const bool resume = after && rank == after->key.k1;
    const QueueProbe probe = resume ? QueueProbe{after->key.k2, after->key.k3, after->id} : QueueProbe{};
    std::array<Head, kStatuses> heads;
    int live = 0;
    for (int status = 0; status < kStatuses; ++status) {
      if ((status_mask & (1u << status)) == 0) continue;
      const Set& set = Group(status, priority);
      Head head{&set, resume ? set.UpperBound(probe) : set.Begin()};
      if (!set.AtEnd(head.pos)) heads[live++] = head;
    }
    while (live > 0) {
      int best = 0;
      for (int i = 1; i < live; ++i)
        if (less_(heads[i].set->At(heads[i].pos), heads[best].set->At(heads[best].pos))) best = i;
      Head& head = heads[best];
      if (!visit(head.set->At(head.pos))) return;
      head.set->Advance(head.pos);
      if (head.set->AtEnd(head.pos)) heads[best] = heads[--live];
    }
  }
}

}  // namespace ticketd::projections

// DeadlineTable: every ticket's pending deadlines in flat arrays, for the
// SLA scheduler. At a million governed tickets the node-based version (a
// std::set entry per deadline plus a hash node and a vector per ticket) cost
// ~300 bytes per ticket; this one ~100:
// - one slot per ticket that ever had a deadline: its id, its tenant (an
//   index into a small table) and one due time per TimerKind (kNone when
//   not pending), kept in pages so growing never copies them all;
// - an index id -> slot holding only 4-byte slot numbers (base::SlotIndex:
//   the ids are read from the slots);
// - a binary min-heap of 12-byte (due, slot) entries, one per ticket with a
//   pending deadline: its earliest due time (the others wait in the slot
//   and are pushed when it fires), with lazy deletion: a change pushes the
//   ticket's new earliest due time and leaves the old entry behind; an
//   entry counts only while it is still its slot's earliest due time. When
//   stale entries outnumber the live ones the heap is rebuilt from the
//   slots, so it stays within about twice the tickets with deadlines and a
//   change costs O(log n) amortised. (One entry per deadline, 16 bytes each,
//   cost twice to three times as much at a million tickets; branch rssfixed.)
// Slots are never reused (a ticket's slot outlives its deadlines), like the
// read model's slots: tickets stay in memory for good anyway.
//
// Not thread-safe: the scheduler's mutex protects it.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "ticketd/base/slot_index.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::app {

struct DueTimer {
  domain::Id tenant_id;
  domain::Id ticket_id;
  domain::TimerKind kind = domain::TimerKind::kFirstResponse;
  domain::Timestamp due_at = 0;
};

class DeadlineTable {
 public:
  // The ticket's deadlines are now `deadlines` (at most one per kind; empty:
  // none). Returns whether any of them is earlier than every deadline that
  // was pending before (the sleeper must wake up sooner).
  bool Set(const domain::Id& tenant_id, const domain::Id& ticket_id, std::span<const domain::Deadline> deadlines);
  // The earliest pending deadline; it stays pending until PopEarliest.
  std::optional<DueTimer> Earliest() const;
  void PopEarliest();
  std::size_t PendingCount() const { return live_; }

 private:
  static constexpr domain::Timestamp kNone = std::numeric_limits<domain::Timestamp>::min();
  static constexpr std::size_t kKinds = 3;  // TimerKind's values
  struct Slot {
    domain::Id ticket_id;
    std::uint32_t tenant = 0;
    std::array<domain::Timestamp, kKinds> due{kNone, kNone, kNone};
  };
#pragma pack(push, 4)
  struct Entry {  // 12 bytes: a heap entry per ticket, millions of them
    domain::Timestamp due;
    std::uint32_t slot;
  };
#pragma pack(pop)
  static_assert(sizeof(Entry) == 12);
  Slot& At(std::uint32_t slot) { return pages_[slot >> kPageBits][slot & kPageMask]; }
  const Slot& At(std::uint32_t slot) const { return pages_[slot >> kPageBits][slot & kPageMask]; }
  std::uint32_t SlotFor(const domain::Id& tenant_id, const domain::Id& ticket_id);  // adds one if missing
  std::optional<std::uint32_t> Find(const domain::Id& ticket_id) const;
  auto IdOf() const {
    return [this](std::uint32_t slot) -> const domain::Id& { return At(slot).ticket_id; };
  }
  // The slot's earliest pending due time (kNone: none) and its kind (the
  // first kind of that time).
  static domain::Timestamp EarliestDue(const Slot& s);
  static std::size_t EarliestKind(const Slot& s);
  bool Live(const Entry& e) const { return e.due == EarliestDue(At(e.slot)); }
  // Heap order: earliest due first, then ticket id (a stable firing order
  // for deadlines that fall due together; a ticket's kinds fire in order).
  bool Later(const Entry& a, const Entry& b) const;
  void Push(Entry e);
  void DropStaleTop();
  void Rebuild();

  static constexpr std::size_t kPageBits = 14;
  static constexpr std::size_t kPageMask = (std::size_t{1} << kPageBits) - 1;
  std::vector<std::vector<Slot>> pages_;
  std::uint32_t slot_count_ = 0;
  base::SlotIndex<domain::Id, domain::IdHash, 1024> index_;
  std::vector<domain::Id> tenants_;
  std::unordered_map<domain::Id, std::uint32_t, domain::IdHash> tenant_index_;
  std::vector<Entry> heap_;
  std::size_t live_ = 0;  // pending deadlines (non-kNone due times)
  std::size_t live_slots_ = 0;  // tickets with a pending deadline
};

}  // namespace ticketd::app

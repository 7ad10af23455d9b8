#include "ticketd/app/deadline_table.h"

#include <algorithm>

namespace ticketd::app {

std::optional<std::uint32_t> DeadlineTable::Find(const domain::Id& ticket_id) const {
  return index_.Find(ticket_id, IdOf());
}

std::uint32_t DeadlineTable::SlotFor(const domain::Id& tenant_id, const domain::Id& ticket_id) {
  if (std::optional<std::uint32_t> found = Find(ticket_id)) return *found;
  auto [it, added] = tenant_index_.try_emplace(tenant_id, static_cast<std::uint32_t>(tenants_.size()));
  if (added) tenants_.push_back(tenant_id);
  if ((slot_count_ & kPageMask) == 0) {
    pages_.emplace_back();
    pages_.back().reserve(kPageMask + 1);
  }
  pages_.back().push_back(Slot{ticket_id, it->second});
  const std::uint32_t slot = slot_count_++;
  index_.Add(slot, IdOf());
  return slot;
}

domain::Timestamp DeadlineTable::EarliestDue(const Slot& s) {
  domain::Timestamp earliest = kNone;
  for (domain::Timestamp due : s.due)
    if (due != kNone && (earliest == kNone || due < earliest)) earliest = due;
  return earliest;
}

std::size_t DeadlineTable::EarliestKind(const Slot& s) {
  const domain::Timestamp earliest = EarliestDue(s);
  return static_cast<std::size_t>(std::find(s.due.begin(), s.due.end(), earliest) - s.due.begin());
}

bool DeadlineTable::Later(const Entry& a, const Entry& b) const {
  if (a.due != b.due) return a.due > b.due;
  if (a.slot == b.slot) return false;
  return At(b.slot).ticket_id.bytes < At(a.slot).ticket_id.bytes;
}

void DeadlineTable::Push(Entry e) {
  heap_.push_back(e);
  std::push_heap(heap_.begin(), heap_.end(), [this](const Entry& a, const Entry& b) { return Later(a, b); });
}

void DeadlineTable::DropStaleTop() {
  while (!heap_.empty() && !Live(heap_.front()))
    std::pop_heap(heap_.begin(), heap_.end(), [this](const Entry& a, const Entry& b) { return Later(a, b); }),
        heap_.pop_back();
}

void DeadlineTable::Rebuild() {
  heap_.clear();
  for (std::uint32_t slot = 0; slot < slot_count_; ++slot)
    if (const domain::Timestamp due = EarliestDue(At(slot)); due != kNone) heap_.push_back(Entry{due, slot});
  std::make_heap(heap_.begin(), heap_.end(), [this](const Entry& a, const Entry& b) { return Later(a, b); });
  heap_.shrink_to_fit();
}

bool DeadlineTable::Set(const domain::Id& tenant_id, const domain::Id& ticket_id,
                        std::span<const domain::Deadline> deadlines) {
  std::array<domain::Timestamp, kKinds> wanted{kNone, kNone, kNone};
  for (const domain::Deadline& d : deadlines) wanted[static_cast<std::size_t>(d.kind)] = d.due_at;
  std::optional<std::uint32_t> slot = Find(ticket_id);
  if (!slot) {
    if (deadlines.empty()) return false;
    slot = SlotFor(tenant_id, ticket_id);
  }
  Slot& s = At(*slot);
  if (s.due == wanted) return false;
  // The top is live (DropStaleTop): the earliest pending due time, if any.
  const domain::Timestamp earliest = heap_.empty() ? std::numeric_limits<domain::Timestamp>::max() : heap_.front().due;
  const domain::Timestamp was = EarliestDue(s);
  for (std::size_t kind = 0; kind < kKinds; ++kind) live_ += (wanted[kind] != kNone) - (s.due[kind] != kNone);
  s.due = wanted;
  const domain::Timestamp now = EarliestDue(s);
  live_slots_ += (now != kNone) - (was != kNone);
  // A ticket's entry is its earliest due time: unchanged, the entry stands.
  if (now != kNone && now != was) Push(Entry{now, *slot});
  if (heap_.size() > 2 * live_slots_ + 1024) Rebuild();
  DropStaleTop();
  return now != kNone && now < earliest;
}

std::optional<DueTimer> DeadlineTable::Earliest() const {
  if (heap_.empty()) return std::nullopt;  // the top is always live (DropStaleTop)
  const Entry& e = heap_.front();
  const Slot& s = At(e.slot);
  return DueTimer{tenants_[s.tenant], s.ticket_id, static_cast<domain::TimerKind>(EarliestKind(s)), e.due};
}

void DeadlineTable::PopEarliest() {
  if (heap_.empty()) return;
  const Entry e = heap_.front();
  Slot& s = At(e.slot);
  s.due[EarliestKind(s)] = kNone;
  --live_;
  // The ticket's next deadline gets an entry of its own, unless it falls due
  // at the same time (then the top entry still stands for it).
  const domain::Timestamp next = EarliestDue(s);
  if (next == kNone) {
    --live_slots_;
  } else if (next != e.due) {
    Push(Entry{next, e.slot});
  }
  DropStaleTop();
}

}  // namespace ticketd::app

#include "sort_index.h"

#include <algorithm>

namespace ticketd::projections {
namespace {

// Everything a comparison reads, copied next to each other once: sorting a
// million of them then never reads the columns at random (the status and
// priority sorts tie on the key for nearly every pair, the subject sort on
// common 8-byte prefixes).
struct Keyed {
  SortKey key;
  domain::Id id;
  std::string_view subject;
  std::uint32_t slot;
};

}  // namespace

SortIndex::SortIndex(SortColumns columns, SortSpec spec, const std::vector<std::uint32_t>& live_slots)
    : columns_(columns), order_(columns, spec) {
  groups_.reserve(kStatuses);
  for (int i = 0; i < kStatuses; ++i) groups_.emplace_back(order_);
  std::array<std::vector<Keyed>, kStatuses> by_status;
  for (std::uint32_t slot : live_slots)
    by_status[StatusOf(slot)].push_back({order_.Key(slot), order_.Id(slot), order_.Subject(slot), slot});
  std::vector<std::uint32_t> sorted;
  for (int status = 0; status < kStatuses; ++status) {
    std::vector<Keyed>& keyed = by_status[status];
    std::sort(keyed.begin(), keyed.end(), [this](const Keyed& a, const Keyed& b) {
      if (a.key != b.key) return a.key < b.key;
      return CompareTail(order_.spec(), a.subject, b.subject, a.id, b.id) < 0;
    });
    sorted.clear();
    sorted.reserve(keyed.size());
    for (const Keyed& k : keyed) sorted.push_back(k.slot);
    groups_[status].AssignSorted(sorted);
    std::vector<Keyed>().swap(keyed);
  }
}

std::uint8_t SortIndex::StatusOf(std::uint32_t slot) const {
  return std::min<std::uint8_t>((*columns_.rows)[slot].status, kStatuses - 1);
}

void SortIndex::Insert(std::uint32_t slot) { groups_[StatusOf(slot)].Insert(slot); }

void SortIndex::Erase(std::uint32_t slot) { groups_[StatusOf(slot)].Erase(slot); }

std::size_t SortIndex::MemoryBytes() const {
  std::size_t bytes = sizeof(*this);
  for (const Set& set : groups_) bytes += set.MemoryBytes();
  return bytes;
}

}  // namespace ticketd::projections

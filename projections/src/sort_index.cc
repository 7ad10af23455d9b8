#include "sort_index.h"

#include <algorithm>

namespace ticketd::projections {

SortIndex::SortIndex(SortColumns columns, SortSpec spec) : columns_(columns), order_(columns, spec) {
  groups_.reserve(kStatuses);
  for (int i = 0; i < kStatuses; ++i) groups_.emplace_back(order_);
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

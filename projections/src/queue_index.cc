#include "queue_index.h"

namespace ticketd::projections {

QueueIndex::QueueIndex(const PagedVector<domain::Id>* ids, const PagedVector<SortRow>* rows) : less_(ids, rows) {
  groups_.reserve(kStatuses * kPriorities);
  for (int i = 0; i < kStatuses * kPriorities; ++i) groups_.emplace_back(less_);
}

void QueueIndex::Insert(std::uint8_t status, std::uint8_t priority, std::uint32_t slot) {
  Group(status, priority).Insert(slot);
}

void QueueIndex::Erase(std::uint8_t status, std::uint8_t priority, std::uint32_t slot) {
  Group(status, priority).Erase(slot);
}

}  // namespace ticketd::projections

#include "queue_index.h"

namespace ticketd::projections {

QueueIndex::QueueIndex(const PagedVector<domain::Id>* ids) : less_(ids) {
  groups_.reserve(kStatuses * kPriorities);
  for (int i = 0; i < kStatuses * kPriorities; ++i) groups_.emplace_back(less_);
}

void QueueIndex::Insert(std::uint8_t status, std::uint8_t priority, const QueueEntry& entry) {
  Group(status, priority).Insert(entry);
}

void QueueIndex::Erase(std::uint8_t status, std::uint8_t priority, const QueueEntry& entry) {
  Group(status, priority).Erase(entry);
}

}  // namespace ticketd::projections

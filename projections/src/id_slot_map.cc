#include "id_slot_map.h"

namespace ticketd::projections {

std::size_t IdSlotMap::Hash(const domain::Id& id) {
  // Ids are mostly random, but derived ones need not be: finish with a
  // 64-bit mixer so linear probing sees a uniform spread.
  std::uint64_t h = domain::IdHash()(id);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return static_cast<std::size_t>(h);
}

std::optional<std::uint32_t> IdSlotMap::Find(const domain::Id& id) const {
  if (table_.empty()) return std::nullopt;
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = Hash(id) & mask;; i = (i + 1) & mask) {
    const std::uint32_t slot = table_[i];
    if (slot == kEmpty) return std::nullopt;
    if ((*ids_)[slot] == id) return slot;
  }
}

void IdSlotMap::Insert(std::uint32_t slot) {
  if ((size_ + 1) * 2 > table_.size()) Grow();
  Place(slot);
  ++size_;
}

void IdSlotMap::Place(std::uint32_t slot) {
  const std::size_t mask = table_.size() - 1;
  std::size_t i = Hash((*ids_)[slot]) & mask;
  while (table_[i] != kEmpty) i = (i + 1) & mask;
  table_[i] = slot;
}

void IdSlotMap::Grow() {
  table_.assign(table_.empty() ? 16 : table_.size() * 2, kEmpty);
  for (std::size_t slot = 0; slot < size_; ++slot) Place(static_cast<std::uint32_t>(slot));
}

}  // namespace ticketd::projections

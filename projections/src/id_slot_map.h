// IdSlotMap: ticket id -> slot for one tenant. A base::SlotIndex (4-byte
// slot numbers, at most half full) that reads the ids from the partition's
// per-slot id array, so an entry costs 8-16 bytes instead of a hash node.
// Slots are never reused and entries never erased (a removed ticket keeps
// its slot, dead). Not thread-safe: the owning partition's lock protects it.
#pragma once

#include <cstdint>
#include <optional>

#include "paged_vector.h"
#include "ticketd/base/slot_index.h"
#include "ticketd/domain/id.h"

namespace ticketd::projections {

class IdSlotMap {
 public:
  // `ids` (slot -> id) must outlive the map; it may grow, not shrink.
  explicit IdSlotMap(const PagedVector<domain::Id>* ids) : ids_(ids) {}

  std::optional<std::uint32_t> Find(const domain::Id& id) const;
  // Adds (*ids)[slot] -> slot for the next slot (slot == size()); that id
  // must not be in the map yet.
  void Insert(std::uint32_t slot);
  std::size_t size() const { return size_; }

 private:
  auto IdOf() const {
    return [ids = ids_](std::uint32_t slot) -> const domain::Id& { return (*ids)[slot]; };
  }

  const PagedVector<domain::Id>* ids_;
  // A tenant's first tickets take 16 buckets (64 bytes), not the app
  // tables' 1024: a server holds many small tenants.
  base::SlotIndex<domain::Id, domain::IdHash, 16> index_;
  std::size_t size_ = 0;
};

}  // namespace ticketd::projections

// IdSlotMap: ticket id -> slot for one tenant. Open addressing with linear
// probing over a power-of-two table of slot numbers, at most half full; the
// ids themselves are read from the partition's per-slot id array, so an
// entry costs 4 bytes instead of a hash node. Slots are never reused and
// entries never erased (a removed ticket keeps its slot, dead). Not
// thread-safe: the owning partition's lock protects it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "paged_vector.h"
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
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  static std::size_t Hash(const domain::Id& id);
  void Place(std::uint32_t slot);
  // Doubles the table. Every slot 0..size_-1 is in the map (slots are
  // never reused or erased), so rehashing reads the ids in order.
  void Grow();

  const PagedVector<domain::Id>* ids_;
  std::vector<std::uint32_t> table_;
  std::size_t size_ = 0;
};

}  // namespace ticketd::projections

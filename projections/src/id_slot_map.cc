#include "id_slot_map.h"

#include <cassert>

namespace ticketd::projections {

std::optional<std::uint32_t> IdSlotMap::Find(const domain::Id& id) const { return index_.Find(id, IdOf()); }

void IdSlotMap::Insert(std::uint32_t slot) {
  assert(slot == size_);
  index_.Add(slot, IdOf());
  ++size_;
}

}  // namespace ticketd::projections

// NumberSlots: a tenant's ticket number -> slot. Numbers come from one
// counter per tenant, so they are dense from 1: an array indexed by number
// costs 4 bytes a ticket where a hash map node cost ~40. A number far beyond
// the array (not expected, but decoded events are data) goes to a small map
// instead of growing the array without bound. Numbers never change; the
// first slot given a number keeps it. Not thread-safe: the owning
// partition's lock protects it.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "paged_vector.h"

namespace ticketd::projections {

class NumberSlots {
 public:
  void Insert(std::int64_t number, std::uint32_t slot) {
    if (number >= 0 && number < static_cast<std::int64_t>(dense_.size() + kMaxGap)) {
      while (static_cast<std::int64_t>(dense_.size()) <= number) dense_.push_back(kNone);
      std::uint32_t& entry = dense_[static_cast<std::size_t>(number)];
      if (entry == kNone) entry = slot;
      return;
    }
    sparse_.emplace(number, slot);
  }

  std::optional<std::uint32_t> Find(std::int64_t number) const {
    if (number >= 0 && number < static_cast<std::int64_t>(dense_.size())) {
      const std::uint32_t slot = dense_[static_cast<std::size_t>(number)];
      if (slot == kNone) return std::nullopt;
      return slot;
    }
    auto it = sparse_.find(number);
    if (it == sparse_.end()) return std::nullopt;
    return it->second;
  }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  static constexpr std::size_t kMaxGap = 1 << 16;

  PagedVector<std::uint32_t> dense_;
  std::unordered_map<std::int64_t, std::uint32_t> sparse_;
};

}  // namespace ticketd::projections

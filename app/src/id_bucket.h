// The bucket of an id in an open-addressing table of 2^bits buckets, shared
// by the app's flat tables (the write model's TicketTable, the SLA
// scheduler's DeadlineTable): the top bits of a multiplicative mix of
// IdHash, so ids that share a time prefix (app/ids.h: time-ordered) still
// spread.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#include "ticketd/domain/id.h"

namespace ticketd::app {

inline std::size_t IdBucket(const domain::Id& id, int bits) {
  std::uint64_t h = domain::IdHash()(id);
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return static_cast<std::size_t>(h >> (64 - bits));
}

// log2 of a power-of-two bucket count.
inline int BucketBits(std::size_t buckets) { return std::countr_zero(buckets); }

}  // namespace ticketd::app

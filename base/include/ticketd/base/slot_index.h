// SlotIndex: key -> slot for a table whose entries sit in dense slots
// 0..n-1 that are only ever appended (never erased, moved or reused) and
// that hold their own key: the write model's TicketTable, the SLA
// scheduler's DeadlineTable, the read model's per-tenant IdSlotMap. The
// index keeps no keys, only 4-byte slot numbers (slot + 1; 0: empty) in a
// power-of-two array at most half full, 8-16 bytes per key, and probes
// linearly; the table says how a slot's key is read (`key_of`, a callable
// slot -> key given to each call, inlined like a hand-written probe).
//
// The bucket is the top bits of a multiplicative mix of Hash's value, so
// keys whose hashes share their high or low bits (time-ordered ids share a
// prefix) still spread. kMinBuckets: the first array's size (a table made
// for millions starts bigger than one made per tenant).
//
// Not thread-safe: whoever owns the table serialises access to it.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace ticketd::base {

template <class Key, class Hash, std::size_t kMinBuckets>
class SlotIndex {
  static_assert(std::has_single_bit(kMinBuckets) && kMinBuckets >= 2);

 public:
  // The slot whose key (key_of(slot)) is `key`, if any.
  template <class KeyOf>
  std::optional<std::uint32_t> Find(const Key& key, const KeyOf& key_of) const {
    if (buckets_.empty()) return std::nullopt;
    const std::size_t mask = buckets_.size() - 1;
    for (std::size_t b = Bucket(key);; b = (b + 1) & mask) {
      const std::uint32_t entry = buckets_[b];
      if (entry == 0) return std::nullopt;
      if (key_of(entry - 1) == key) return entry - 1;
    }
  }

  // Adds `slot`, the table's newest: slots 0..slot-1 are in the index
  // already and its key is not. Doubles the array (placing every slot
  // again) when it would be more than half full.
  template <class KeyOf>
  void Add(std::uint32_t slot, const KeyOf& key_of) {
    const std::size_t slot_count = std::size_t{slot} + 1;
    if (slot_count * 2 > buckets_.size()) {
      Rebuild(std::max(kMinBuckets, buckets_.size() * 2), slot_count, key_of);  // this slot included
    } else {
      Place(slot, key_of);
    }
  }

  // Room for `count` slots without growing; slots 0..slot_count-1 are (or
  // are placed again) in the index.
  template <class KeyOf>
  void Reserve(std::size_t count, std::size_t slot_count, const KeyOf& key_of) {
    std::size_t buckets = std::max(buckets_.size(), kMinBuckets);
    while (count * 2 > buckets) buckets *= 2;
    if (buckets != buckets_.size()) Rebuild(buckets, slot_count, key_of);
  }

  // Forgets every slot and gives the array back.
  void Clear() {
    buckets_.clear();
    buckets_.shrink_to_fit();
  }

  std::size_t bucket_count() const { return buckets_.size(); }

 private:
  std::size_t Bucket(const Key& key) const {
    std::uint64_t h = Hash()(key);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return static_cast<std::size_t>(h >> (64 - std::countr_zero(buckets_.size())));
  }

  template <class KeyOf>
  void Place(std::uint32_t slot, const KeyOf& key_of) {
    const std::size_t mask = buckets_.size() - 1;
    std::size_t b = Bucket(key_of(slot));
    while (buckets_[b] != 0) b = (b + 1) & mask;
    buckets_[b] = slot + 1;
  }

  template <class KeyOf>
  void Rebuild(std::size_t buckets, std::size_t slot_count, const KeyOf& key_of) {
    buckets_.assign(buckets, 0);
    for (std::uint32_t slot = 0; slot < slot_count; ++slot) Place(slot, key_of);
  }

  std::vector<std::uint32_t> buckets_;
};

}  // namespace ticketd::base

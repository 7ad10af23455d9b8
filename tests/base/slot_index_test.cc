// base::SlotIndex: ids that share a time prefix, growth, Reserve, misses,
// Clear. Keys here are 16 bytes hashed like domain::IdHash (base/ sees no
// domain type); the tables that use SlotIndex have their own tests
// (TicketTable.*, IdSlotMap.*, SlaScheduler.*).
#include "ticketd/base/slot_index.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

namespace ticketd::base {
namespace {

struct Key {
  std::array<std::uint8_t, 16> bytes{};
  friend bool operator==(const Key&, const Key&) = default;
};

struct KeyHash {  // domain::IdHash's formula
  std::size_t operator()(const Key& k) const {
    std::uint64_t a, b;
    std::memcpy(&a, k.bytes.data(), 8);
    std::memcpy(&b, k.bytes.data() + 8, 8);
    return static_cast<std::size_t>(a ^ (b * 0x9E3779B97F4A7C15ull));
  }
};

// Time-ordered ids as ticketd/app/ids.h makes them: the same millisecond prefix for
// a burst, then a counter where the random bits would be (worst case).
Key TimeId(std::uint64_t millisecond, std::uint64_t n) {
  Key k;
  for (int i = 0; i < 6; ++i) k.bytes[i] = static_cast<std::uint8_t>(millisecond >> (8 * (5 - i)));
  for (int i = 0; i < 8; ++i) k.bytes[8 + i] = static_cast<std::uint8_t>(n >> (8 * i));
  return k;
}

using Index = SlotIndex<Key, KeyHash, 16>;

struct Table {  // what the tables do: slots hold their keys
  std::vector<Key> keys;
  Index index;
  std::size_t probes = 0;  // key_of calls: how long the probe sequences are
  auto KeyOf() {
    return [this](std::uint32_t slot) -> const Key& {
      ++probes;
      return keys[slot];
    };
  }
  std::uint32_t Add(const Key& key) {
    keys.push_back(key);
    const auto slot = static_cast<std::uint32_t>(keys.size() - 1);
    index.Add(slot, KeyOf());
    return slot;
  }
  std::optional<std::uint32_t> Find(const Key& key) { return index.Find(key, KeyOf()); }
};

TEST(SlotIndex, FindsManyIdsThatShareATimePrefixWithShortProbes) {
  Table table;
  EXPECT_FALSE(table.Find(TimeId(1, 1)));
  constexpr std::uint64_t kCount = 200'000;
  for (std::uint64_t n = 0; n < kCount; ++n) ASSERT_EQ(table.Add(TimeId(1'700'000'000'000 + n / 50'000, n)), n);
  table.probes = 0;
  for (std::uint64_t n = 0; n < kCount; ++n) ASSERT_EQ(table.Find(TimeId(1'700'000'000'000 + n / 50'000, n)), n);
  // Linear probing at most half full compares ~1.5 keys per hit when the
  // bucket function spreads the ids; a clustered one would take hundreds.
  EXPECT_LT(static_cast<double>(table.probes) / kCount, 2.5);
  // Misses: the same prefix with a number never added, another prefix,
  // the nil key.
  for (std::uint64_t n = kCount; n < kCount + 1000; ++n) EXPECT_FALSE(table.Find(TimeId(1'700'000'000'000, n)));
  EXPECT_FALSE(table.Find(TimeId(1'800'000'000'000, 5)));
  EXPECT_FALSE(table.Find(Key{}));
}

TEST(SlotIndex, GrowsByDoublingAndStaysAtMostHalfFull) {
  Table table;
  EXPECT_EQ(table.index.bucket_count(), 0u);
  table.Add(TimeId(7, 0));
  EXPECT_EQ(table.index.bucket_count(), 16u);
  for (std::uint64_t n = 1; n < 8; ++n) table.Add(TimeId(7, n));
  EXPECT_EQ(table.index.bucket_count(), 16u) << "8 keys fit in 16 buckets";
  table.Add(TimeId(7, 8));
  EXPECT_EQ(table.index.bucket_count(), 32u) << "the 9th doubles them";
  for (std::uint64_t n = 9; n < 5000; ++n) table.Add(TimeId(7, n));
  EXPECT_EQ(table.index.bucket_count(), 16384u);  // the first power of two >= 2 * 5000
  for (std::uint64_t n = 0; n < 5000; ++n) ASSERT_EQ(table.Find(TimeId(7, n)), n);
}

TEST(SlotIndex, ReserveRebuildsOnceAndSlotsStayPut) {
  Table table;
  for (std::uint64_t n = 0; n < 1000; ++n) table.Add(TimeId(9, n));
  table.index.Reserve(100'000, table.keys.size(), table.KeyOf());
  EXPECT_EQ(table.index.bucket_count(), 262'144u);  // the first power of two >= 200,000
  for (std::uint64_t n = 0; n < 1000; ++n) ASSERT_EQ(table.Find(TimeId(9, n)), n) << "placed again";
  for (std::uint64_t n = 1000; n < 100'000; ++n) table.Add(TimeId(9, n));
  EXPECT_EQ(table.index.bucket_count(), 262'144u) << "no growth within the reservation";
  for (std::uint64_t n = 0; n < 100'000; n += 7) ASSERT_EQ(table.Find(TimeId(9, n)), n);
  table.index.Reserve(10, table.keys.size(), table.KeyOf());
  EXPECT_EQ(table.index.bucket_count(), 262'144u) << "Reserve never shrinks";
}

TEST(SlotIndex, ClearForgetsEverySlotAndGivesTheArrayBack) {
  Table table;
  for (std::uint64_t n = 0; n < 3000; ++n) table.Add(TimeId(11, n));
  table.index.Clear();
  table.keys.clear();
  EXPECT_EQ(table.index.bucket_count(), 0u);
  EXPECT_FALSE(table.Find(TimeId(11, 0)));
  EXPECT_EQ(table.Add(TimeId(11, 42)), 0u);
  EXPECT_EQ(table.Find(TimeId(11, 42)), 0u);
  EXPECT_FALSE(table.Find(TimeId(11, 0)));
  EXPECT_EQ(table.index.bucket_count(), 16u);
}

}  // namespace
}  // namespace ticketd::base

// OptionalId: std::optional<Id>'s behaviour in 16 bytes (nil = none).
#include "ticketd/domain/optional_id.h"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>

namespace ticketd::domain {
namespace {

Id IdOf(std::uint8_t first, std::uint8_t last) {
  Id id;
  id.bytes[0] = first;
  id.bytes[15] = last;
  return id;
}

static_assert(sizeof(OptionalId) == sizeof(Id));

TEST(OptionalId, EmptyByDefaultFromNulloptAndFromTheNilId) {
  for (const OptionalId& none : {OptionalId{}, OptionalId{std::nullopt}, OptionalId{Id{}},
                                 OptionalId{std::optional<Id>{}}, OptionalId{std::optional<Id>{Id{}}}}) {
    EXPECT_FALSE(none.has_value());
    EXPECT_FALSE(static_cast<bool>(none));
    EXPECT_TRUE(none == std::nullopt);
    EXPECT_EQ(std::optional<Id>(none), std::nullopt);
    EXPECT_THROW(static_cast<void>(none.value()), std::bad_optional_access);
    EXPECT_EQ(none.value_or(IdOf(9, 9)), IdOf(9, 9));
  }
}

TEST(OptionalId, HoldsAnyNonNilIdAndConvertsBothWays) {
  // One byte set at either end is enough to be a value.
  for (const Id& id : {IdOf(1, 0), IdOf(0, 1), IdOf(0xFF, 0xFF)}) {
    const OptionalId held = id;
    EXPECT_TRUE(held.has_value());
    EXPECT_TRUE(static_cast<bool>(held));
    EXPECT_EQ(*held, id);
    EXPECT_EQ(held->bytes, id.bytes);
    EXPECT_EQ(held.value(), id);
    EXPECT_EQ(held.value_or(IdOf(9, 9)), id);
    const std::optional<Id> back = held;
    EXPECT_EQ(back, std::optional<Id>(id));
    EXPECT_EQ(OptionalId(back), held);
  }
}

TEST(OptionalId, ComparesLikeStdOptional) {
  const Id a = IdOf(1, 2), b = IdOf(1, 3);
  const OptionalId none, some_a = a, some_b = b;
  EXPECT_TRUE(none == OptionalId{});
  EXPECT_TRUE(some_a == OptionalId{a});
  EXPECT_FALSE(some_a == some_b);
  EXPECT_FALSE(none == some_a);
  // Against an Id: an empty one equals no id, not even the nil one.
  EXPECT_TRUE(some_a == a);
  EXPECT_FALSE(some_a == b);
  EXPECT_FALSE(none == Id{});
  EXPECT_TRUE(some_a != b);
  // Against std::optional<Id>, both ways round, empty == empty.
  EXPECT_TRUE(none == std::optional<Id>{});
  EXPECT_TRUE(std::optional<Id>{} == none);
  EXPECT_TRUE(some_a == std::optional<Id>(a));
  EXPECT_TRUE(std::optional<Id>(a) == some_a);
  EXPECT_FALSE(some_a == std::optional<Id>{});
  EXPECT_FALSE(std::optional<Id>(b) == some_a);
  EXPECT_TRUE(std::optional<Id>(b) != some_a);
  EXPECT_FALSE(std::optional<Id>{} != none);
}

TEST(OptionalId, ResetAssignAndEmplace) {
  OptionalId id = IdOf(4, 4);
  id.reset();
  EXPECT_FALSE(id.has_value());
  id = IdOf(5, 5);
  EXPECT_EQ(id, IdOf(5, 5));
  id = std::nullopt;
  EXPECT_FALSE(id.has_value());
  id = std::optional<Id>(IdOf(6, 6));
  EXPECT_EQ(id, IdOf(6, 6));
  // emplace() hands out the value to parse into: none until written non-nil.
  Id& slot = id.emplace();
  EXPECT_FALSE(id.has_value());
  slot = IdOf(7, 7);
  EXPECT_EQ(id, IdOf(7, 7));
}

}  // namespace
}  // namespace ticketd::domain

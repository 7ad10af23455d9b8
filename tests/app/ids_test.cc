// Time-ordered ids (v7): strictly increasing on one thread, also past 4096
// in one millisecond, with the version and variant bits of RFC 9562.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "ticketd/app/ids.h"

namespace ticketd::app {
namespace {

TEST(TimeOrderedIdTest, IdsIncreaseStrictlyAndCarryVersion7) {
  std::vector<domain::Id> ids;
  for (int i = 0; i < 20'000; ++i) ids.push_back(TimeOrderedId());  // far more than 4096 per ms
  for (std::size_t i = 1; i < ids.size(); ++i)
    ASSERT_TRUE(std::lexicographical_compare(ids[i - 1].bytes.begin(), ids[i - 1].bytes.end(), ids[i].bytes.begin(),
                                             ids[i].bytes.end()))
        << ids[i - 1].ToString() << " then " << ids[i].ToString();
  for (const domain::Id& id : ids) {
    EXPECT_EQ(id.bytes[6] >> 4, 7);
    EXPECT_EQ(id.bytes[8] >> 6, 2);
  }
}

TEST(TimeOrderedIdTest, TheFirstSixBytesAreTheUnixTimeInMilliseconds) {
  const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const domain::Id id = TimeOrderedId();
  std::int64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = (ms << 8) | id.bytes[i];
  EXPECT_GE(ms, before);
  EXPECT_LT(ms, before + 60'000);
}

}  // namespace
}  // namespace ticketd::app

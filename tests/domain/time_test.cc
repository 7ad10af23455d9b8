#include "ticketd/domain/time.h"

#include <gtest/gtest.h>

#include <random>

namespace ticketd::domain {
namespace {

TEST(Time, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1'795'000'000'123'456), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(FormatDate(1'795'000'000'123'456), "2026-11-18");
}

TEST(Time, ParsesOffsetsFractionsAndLeapDays) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01t00:00:01.5z"), 1'500'000);
  EXPECT_EQ(ParseRfc3339("1970-01-01 01:00:00+01:00"), 0);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:00:00-01:00"), std::nullopt);  // year before 1970
  EXPECT_EQ(ParseRfc3339("2024-02-29T12:00:00.123456789Z"), ParseRfc3339("2024-02-29T12:00:00.123456Z"));
  EXPECT_TRUE(ParseRfc3339("2024-02-29T00:00:00Z").has_value());
  EXPECT_EQ(ParseDate("2026-11-22"), ParseRfc3339("2026-11-22T00:00:00Z"));
  for (Timestamp t : {Timestamp{0}, Timestamp{86'399'999'000}, Timestamp{1'795'000'000'123'000}})
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(t)), t);
}

TEST(Time, RejectsEverythingElse) {
  for (std::string_view bad :
       {"", "2026", "2026-11-22", "2026-11-22T07:00:00", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-11-31T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T07:60:00Z", "2026-11-22T07:00:00.Z",
        "2026-11-22T07:00:00Zjunk", "2026-11-22T07:00:00+2:00", "yesterday", "2026-11-22T07:00:00+24:00"})
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  EXPECT_FALSE(ParseRfc3339(std::string_view("2026-11-22T07:00:00\0Z", 21)).has_value());
  EXPECT_FALSE(ParseDate("2026-11-22x").has_value());
}

TEST(Time, RandomBytesNeverParseIntoNonsense) {
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  const std::string alphabet = "0123456789-:TZ.+ z\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 40, ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    if (auto t = ParseRfc3339(s)) EXPECT_GE(*t, 0) << s;
  }
}

}  // namespace
}  // namespace ticketd::domain

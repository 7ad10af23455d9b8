// RFC 3339 and date conversions: known values, round trips, and a long list
// of inputs that must be refused (plus random bytes, seed printed).
#include "ticketd/domain/time.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <random>
#include <string>

namespace ticketd::domain {
namespace {

constexpr Timestamp kSecond = kMicrosPerSecond;

struct Known {
  std::string_view text;
  Timestamp micros;
};

void PrintTo(const Known& k, std::ostream* os) { *os << k.text; }

class ParseTest : public ::testing::TestWithParam<Known> {};

TEST_P(ParseTest, ParsesToTheKnownInstant) {
  auto parsed = ParseRfc3339(GetParam().text);
  ASSERT_TRUE(parsed.has_value()) << GetParam().text;
  EXPECT_EQ(*parsed, GetParam().micros) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Valid, ParseTest,
    ::testing::Values(Known{"1970-01-01T00:00:00Z", 0}, Known{"1970-01-01t00:00:01.5z", 1'500'000},
                      Known{"1970-01-01 01:00:00+01:00", 0}, Known{"1970-01-01T00:00:00-00:00", 0},
                      Known{"1970-01-01T00:00:00.000001Z", 1},
                      Known{"1970-01-01T00:00:00.0000019Z", 1},  // truncated, not rounded
                      Known{"1970-01-01T00:00:00.123456789012Z", 123'456},
                      Known{"1970-01-02T00:00:00Z", kMicrosPerDay},
                      Known{"2026-11-22T07:00:00.000Z", 1'795'330'800 * kSecond},
                      Known{"2026-11-22T08:30:00+01:30", 1'795'330'800 * kSecond},
                      Known{"2026-11-22T00:00:00-07:00", 1'795'330'800 * kSecond},
                      Known{"2024-02-29T00:00:00Z", 1'709'164'800 * kSecond},
                      Known{"2000-02-29T00:00:00Z", 951'782'400 * kSecond},
                      Known{"2016-12-31T23:59:60Z", 1'483'228'799 * kSecond},  // leap second clamps to :59
                      Known{"2016-12-31T23:59:60.5Z", 1'483'228'799 * kSecond + 500'000},
                      Known{"1999-12-31T23:59:59+23:59", 946'598'459 * kSecond},
                      Known{"9999-12-31T23:59:59.999999Z", 253'402'300'799 * kSecond + 999'999}),
    [](const ::testing::TestParamInfo<Known>& info) { return "case" + std::to_string(info.index); });

class RejectTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RejectTest, IsNotATimestamp) { EXPECT_FALSE(ParseRfc3339(GetParam()).has_value()) << GetParam(); }

INSTANTIATE_TEST_SUITE_P(
    Invalid, RejectTest,
    ::testing::Values("", "2026", "2026-11-22", "2026-11-22T07:00:00", "2026-11-22T07:00Z",
                      "2026-11-22T7:00:00Z", "2026-1-22T07:00:00Z", "26-11-22T07:00:00Z",
                      "+2026-11-22T07:00:00Z", "02026-11-22T07:00:00Z", "2023-02-29T00:00:00Z",
                      "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                      "2026-11-00T00:00:00Z", "2026-11-31T00:00:00Z", "2026-04-31T00:00:00Z",
                      "2026-11-22T24:00:00Z", "2026-11-22T07:60:00Z", "2026-11-22T07:00:61Z",
                      "2026-11-22T07:00:00.Z", "2026-11-22T07:00:00,5Z", "2026-11-22T07:00:00Zjunk",
                      "2026-11-22T07:00:00Z ", " 2026-11-22T07:00:00Z", "2026-11-22T07:00:00+2:00",
                      "2026-11-22T07:00:00+0200", "2026-11-22T07:00:00+24:00", "2026-11-22T07:00:00+01:60",
                      "2026-11-22T07:00:00+01", "2026-11-22T07:00:00UTC", "2026-11-22X07:00:00Z",
                      "2026-11-22_07:00:00Z", "2026/11/22T07:00:00Z", "1969-12-31T23:59:59Z",
                      "1969-12-31T23:00:00-01:00", "1970-01-01T00:30:00+01:00", "0000-01-01T00:00:00Z",
                      "10000-01-01T00:00:00Z", "yesterday",
                      "2026-11-22T07:00:00.1234567890123456789012345678901234567890123456789Z",
                      "2026-11-22T07:00:00\xef\xbc\xba", "２０２６-11-22T07:00:00Z", std::string(4096, '9'),
                      std::string("2026-11-22T07:00:00\0Z", 21), std::string("2026-11-22T07:00:00Z\0", 21),
                      std::string("\0"
                                  "2026-11-22T07:00:00Z",
                                  21)));

// Issue 10, item 7: an offset that carries the instant past 9999 in UTC.
TEST(Time, InstantsPastYear9999InUtcAreRefused) {
  EXPECT_FALSE(ParseRfc3339("9999-12-31T23:00:00-05:00").has_value());
  EXPECT_FALSE(ParseRfc3339("9999-12-31T23:59:59.999-00:01").has_value());
  EXPECT_EQ(ParseRfc3339("9999-12-31T23:59:59.999Z"), 253'402'300'799 * kSecond + 999'000);
  EXPECT_EQ(ParseRfc3339("9999-12-31T23:00:00+05:00"), 253'402'279'200 * kSecond);
  for (std::string_view text : {"9999-12-31T23:59:59Z", "9999-12-31T18:59:59-05:00"})
    EXPECT_EQ(FormatRfc3339(*ParseRfc3339(text)).substr(0, 4), "9999") << text;
}

TEST(Time, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(999), "1970-01-01T00:00:00.000Z");  // truncated to the millisecond
  EXPECT_EQ(FormatRfc3339(1'795'330'800 * kSecond), "2026-11-22T07:00:00.000Z");
  EXPECT_EQ(FormatRfc3339(1'795'000'000'123'456), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(FormatRfc3339(1'709'164'800 * kSecond - 1), "2024-02-28T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(253'402'300'799 * kSecond + 999'999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatDate(1'795'000'000'123'456), "2026-11-18");
  EXPECT_EQ(FormatDate(0), "1970-01-01");
}

TEST(Time, ExtremeTimestampsFormatWithoutCrashing) {
  for (Timestamp t : {std::numeric_limits<Timestamp>::min(), std::numeric_limits<Timestamp>::max()}) {
    std::string text = FormatRfc3339(t);
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.back(), 'Z');
    EXPECT_FALSE(ParseRfc3339(text).has_value()) << text;  // out of 1970..9999
  }
}

TEST(Time, Dates) {
  EXPECT_EQ(ParseDate("1970-01-01"), 0);
  EXPECT_EQ(ParseDate("2026-11-22"), ParseRfc3339("2026-11-22T00:00:00Z"));
  EXPECT_EQ(ParseDate("2024-02-29"), 1'709'164'800 * kSecond);
  for (std::string_view bad : {"", "2026-11-22x", "2026-11-22T00:00:00Z", "2026-02-30", "1969-12-31",
                               "2026-1-1", "20261122", "2026-11-2"})
    EXPECT_FALSE(ParseDate(bad).has_value()) << bad;
  EXPECT_FALSE(ParseDate(std::string_view("2026-11-22\0", 11)).has_value());
}

TEST(Time, RandomRoundTripsAtMillisecondPrecision) {
  const unsigned seed = std::random_device{}();
  std::printf("RandomRoundTripsAtMillisecondPrecision seed %u\n", seed);
  std::mt19937_64 rng(seed);
  const Timestamp max_millis = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
  for (int i = 0; i < 20000; ++i) {
    const Timestamp t = static_cast<Timestamp>(rng() % static_cast<std::uint64_t>(max_millis + 1)) * 1000;
    const std::string text = FormatRfc3339(t);
    ASSERT_EQ(ParseRfc3339(text), t) << "seed " << seed << ": " << text;
    const Timestamp midnight = t - t % kMicrosPerDay;
    ASSERT_EQ(ParseDate(FormatDate(t)), midnight) << "seed " << seed << ": " << text;
  }
}

TEST(Time, EveryDayOfFourHundredYearsRoundTrips) {
  // One full Gregorian cycle covers every leap-year rule.
  const Timestamp start = *ParseDate("2000-01-01");
  for (Timestamp day = 0; day < 146097; ++day) {
    const Timestamp t = start + day * kMicrosPerDay;
    ASSERT_EQ(ParseDate(FormatDate(t)), t) << FormatDate(t);
  }
  EXPECT_EQ(FormatDate(start + 146097 * kMicrosPerDay), "2400-01-01");
}

TEST(Time, RandomBytesNeverParseIntoNonsense) {
  const unsigned seed = std::random_device{}();
  std::printf("RandomBytesNeverParseIntoNonsense seed %u\n", seed);
  std::mt19937 rng(seed);
  const std::string alphabet = std::string("0123456789-:TZ.+ zt\xff", 21) + std::string(1, '\0');
  for (int i = 0; i < 50000; ++i) {
    std::string s(rng() % 40, ' ');
    const bool any_byte = i % 2 == 0;
    for (char& c : s) c = any_byte ? static_cast<char>(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
    // Mutating a valid timestamp in one place probes the edges far better.
    if (i % 3 == 0) {
      s = "2026-11-22T07:00:00.123+01:00";
      s[rng() % s.size()] = static_cast<char>(rng() & 0xFF);
    }
    if (auto t = ParseRfc3339(s)) {
      EXPECT_GE(*t, 0) << "seed " << seed << ": " << s;
      EXPECT_LE(*t, 253'402'300'800 * kSecond + kMicrosPerDay) << "seed " << seed << ": " << s;
      // Whatever parsed must format and parse back to the millisecond
      // (unless an offset pushed it past 9999 in UTC).
      if (*t < 253'402'300'800 * kSecond) {
        EXPECT_EQ(ParseRfc3339(FormatRfc3339(*t)), *t - *t % 1000) << "seed " << seed << ": " << s;
      }
    }
    (void)ParseDate(s);
  }
}

}  // namespace
}  // namespace ticketd::domain

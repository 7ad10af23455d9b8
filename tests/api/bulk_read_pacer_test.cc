// BulkReadPacer (issue 13's QoS): the shared floor rate while the command
// path is saturated, no limit otherwise, FIFO waits that never starve. The
// clock is the test's: every charge gets its `now`.
#include "bulk_read_pacer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "ticketd/base/command_path_load.h"

namespace ticketd::api {
namespace {

using Clock = BulkReadPacer::Clock;
using std::chrono::milliseconds;

constexpr std::uint64_t kMiB = 1 << 20;
constexpr std::size_t kPiece = 256 * 1024;

Clock::time_point At(int ms) { return Clock::time_point{} + std::chrono::hours(1) + milliseconds(ms); }

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

TEST(BulkReadPacer, QuietCommandPathReadsUnlimited) {
  BulkReadPacer pacer(16 * kMiB);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(pacer.Charge(At(0), /*saturated=*/false, kPiece), Clock::duration::zero());
  EXPECT_EQ(pacer.stats().pauses, 0u);
  EXPECT_EQ(pacer.stats().paced_bytes, 0u);
}

TEST(BulkReadPacer, SaturatedReaderWaitsBytesOverFloor) {
  BulkReadPacer pacer(16 * kMiB);
  // 256 KiB at 16 MiB/s: 1/64 s before the next read.
  EXPECT_NEAR(Seconds(pacer.Charge(At(0), true, kPiece)), 1.0 / 64, 1e-6);
  // The same reader, back after its wait: again 1/64 s.
  EXPECT_NEAR(Seconds(pacer.Charge(At(0) + std::chrono::microseconds(15625), true, kPiece)), 1.0 / 64, 1e-6);
  EXPECT_EQ(pacer.stats().pauses, 2u);
  EXPECT_EQ(pacer.stats().paced_bytes, 2 * kPiece);
}

TEST(BulkReadPacer, ReadersShareOneFloorInArrivalOrder) {
  BulkReadPacer pacer(16 * kMiB);
  // Ten readers charge a piece at the same instant: each waits behind the
  // ones before it, the tenth 10/64 s: together they get the floor, not 10x.
  for (int reader = 1; reader <= 10; ++reader) {
    EXPECT_NEAR(Seconds(pacer.Charge(At(0), true, kPiece)), reader / 64.0, 1e-6) << reader;
  }
}

TEST(BulkReadPacer, SaturatedThroughputIsTheFloor) {
  BulkReadPacer pacer(32 * kMiB);
  // Ten readers, each reading a piece as soon as its wait is over, for 10 s
  // of the injected clock: the bytes read total 32 MiB/s x 10 s (+ one piece each).
  std::vector<Clock::time_point> next(10, At(0));
  std::uint64_t bytes = 0;
  const Clock::time_point end = At(10'000);
  for (;;) {
    auto reader = std::min_element(next.begin(), next.end());
    if (*reader >= end) break;
    bytes += kPiece;
    *reader += pacer.Charge(*reader, true, kPiece);
  }
  EXPECT_NEAR(static_cast<double>(bytes) / kMiB / 10.0, 32.0, 0.5);
}

TEST(BulkReadPacer, NoReaderStarves) {
  BulkReadPacer pacer(16 * kMiB);
  // Ten readers in arrival order: each one's wait stays bounded by the
  // pieces queued before it (10 x 1/64 s), however long the saturation lasts.
  std::vector<Clock::time_point> next(10, At(0));
  std::vector<std::uint64_t> read(10, 0);
  Clock::duration longest{};
  for (int round = 0; round < 2000; ++round) {
    auto reader = std::min_element(next.begin(), next.end());
    Clock::duration wait = pacer.Charge(*reader, true, kPiece);
    longest = std::max(longest, wait);
    read[reader - next.begin()] += kPiece;
    *reader += wait;
  }
  EXPECT_LE(Seconds(longest), 10.0 / 64 + 1e-6);
  for (std::uint64_t r : read) EXPECT_GE(r, 190 * kPiece);  // each got ~1/10 of 2000 pieces
}

TEST(BulkReadPacer, IdleBudgetIsNotSavedUp) {
  BulkReadPacer pacer(16 * kMiB);
  pacer.Charge(At(0), true, kPiece);
  // A reader after a long pause still waits its own cost (no burst banked).
  EXPECT_NEAR(Seconds(pacer.Charge(At(60'000), true, kPiece)), 1.0 / 64, 1e-6);
}

TEST(BulkReadPacer, DebtIsForgivenOnceTheCommandPathIsQuiet) {
  BulkReadPacer pacer(1 * kMiB);
  for (int i = 0; i < 40; ++i) pacer.Charge(At(0), true, kPiece);  // 10 s of debt
  EXPECT_EQ(pacer.Charge(At(1), false, kPiece), Clock::duration::zero());
  // Saturated again: only the new charge counts.
  EXPECT_NEAR(Seconds(pacer.Charge(At(2), true, kPiece)), 0.25, 1e-6);
}

TEST(BulkReadPacer, ZeroFloorNeverPaces) {
  BulkReadPacer pacer(0);
  EXPECT_EQ(pacer.Charge(At(0), true, 64 * kMiB), Clock::duration::zero());
  pacer.set_floor(kMiB);
  EXPECT_GT(pacer.Charge(At(0), true, kPiece), Clock::duration::zero());
}

TEST(BulkReadPacer, FollowsTheWritersLoadSignal) {
  // The glue the upload jobs use: CommandPathLoad::Saturated at the same now.
  CommandPathLoad load;
  BulkReadPacer pacer(16 * kMiB);
  const CommandPathLoad::Clock::time_point t0 = At(0);
  // A writer busy 80% of 100 ms with batches of 8 commands: saturated.
  for (int i = 1; i <= 11; ++i) load.ObserveBatch(t0 + milliseconds(10 * i), 8, milliseconds(8));
  const auto now = t0 + milliseconds(111);
  ASSERT_TRUE(load.Saturated(now));
  EXPECT_GT(pacer.Charge(now, load.Saturated(now), kPiece), Clock::duration::zero());
  // Nothing published for two windows: quiet again, unlimited.
  const auto later = t0 + milliseconds(500);
  ASSERT_FALSE(load.Saturated(later));
  EXPECT_EQ(pacer.Charge(later, load.Saturated(later), kPiece), Clock::duration::zero());
}

}  // namespace
}  // namespace ticketd::api

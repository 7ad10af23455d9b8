#include "ticketd/base/command_path_load.h"

#include <gtest/gtest.h>

namespace ticketd {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using Clock = CommandPathLoad::Clock;

// Reports `batches` batches of `commands` each, back to back, `busy` each,
// with `gap` of idle writer between them; returns the time after the last.
Clock::time_point Feed(CommandPathLoad& load, Clock::time_point at, int batches, std::size_t commands,
                       Clock::duration busy, Clock::duration gap) {
  for (int i = 0; i < batches; ++i) {
    at += busy;
    load.ObserveBatch(at, commands, busy);
    at += gap;
  }
  return at;
}

TEST(CommandPathLoad, QuietBeforeAnyBatch) {
  CommandPathLoad load;
  EXPECT_FALSE(load.Saturated(Clock::now()));
  EXPECT_EQ(load.Read(Clock::now()).commands_per_second, 0);
}

TEST(CommandPathLoad, DeepGroupCommitsBackToBackAreSaturated) {
  CommandPathLoad load;
  Clock::time_point start = Clock::now();
  Clock::time_point end = Feed(load, start, 300, 16, microseconds(500), microseconds(20));
  CommandPathLoad::Reading reading = load.Read(end);
  EXPECT_GT(reading.busy_fraction, 0.9);
  EXPECT_DOUBLE_EQ(reading.commands_per_batch, 16.0);
  EXPECT_GT(reading.commands_per_second, 25000);
  EXPECT_TRUE(load.Saturated(end));
}

TEST(CommandPathLoad, OneCommandPerBatchIsNotSaturatedEvenWhenBusy) {
  // A steady trickle the writer takes one at a time: nothing queues behind a sync.
  CommandPathLoad load;
  Clock::time_point end = Feed(load, Clock::now(), 300, 1, microseconds(600), microseconds(400));
  EXPECT_GT(load.Read(end).busy_fraction, 0.5);
  EXPECT_FALSE(load.Saturated(end));
}

TEST(CommandPathLoad, MostlyIdleWriterIsNotSaturated) {
  CommandPathLoad load;
  Clock::time_point end = Feed(load, Clock::now(), 100, 4, microseconds(300), milliseconds(2));
  EXPECT_LT(load.Read(end).busy_fraction, 0.2);
  EXPECT_FALSE(load.Saturated(end));
}

TEST(CommandPathLoad, AWriterThatStoppedIsQuietAfterTwoWindows) {
  CommandPathLoad load;
  Clock::time_point end = Feed(load, Clock::now(), 300, 16, microseconds(500), microseconds(20));
  ASSERT_TRUE(load.Saturated(end));
  EXPECT_TRUE(load.Saturated(end + CommandPathLoad::kWindow));
  EXPECT_FALSE(load.Saturated(end + 3 * CommandPathLoad::kWindow));
  EXPECT_EQ(load.Read(end + 3 * CommandPathLoad::kWindow).busy_fraction, 0);
}

TEST(CommandPathLoad, ALaterQuietWindowReplacesABusyOne) {
  CommandPathLoad load;
  Clock::time_point at = Feed(load, Clock::now(), 300, 16, microseconds(500), microseconds(20));
  ASSERT_TRUE(load.Saturated(at));
  at = Feed(load, at, 60, 1, microseconds(200), milliseconds(3));
  EXPECT_FALSE(load.Saturated(at));
}

}  // namespace
}  // namespace ticketd

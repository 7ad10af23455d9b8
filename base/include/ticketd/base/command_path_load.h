#pragma once

// CommandPathLoad: how hard the writer (the command path) works right now, so
// bulk work can take only what the commands leave (upload body reads, mail
// delivery rounds). Priorities alone do not do it on a small box: a nice +10
// or SCHED_IDLE thread still gets its share whenever the writer waits on a
// sync, and the socket copies its clients make count against the box too.
// Bulk work that asks Saturated() and paces itself leaves the CPU, the disk
// and the clients' CPU (their sends block) to the commands.
//
// The writer reports each batch; any thread reads. The figures are those of
// the last complete window (kWindow) and say "quiet" once no window has been
// published for two windows (an idle writer publishes nothing). Lock-free:
// one reporting thread, any number of readers; a reading may mix two
// neighbouring windows, which is fine for a heuristic.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace ticketd {

class CommandPathLoad {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kWindow = std::chrono::milliseconds(100);

  struct Reading {
    double busy_fraction = 0;       // of the window's wall time spent in batches
    double commands_per_batch = 0;  // how deep the group commits were
    double commands_per_second = 0;
  };

  // The one definition of "saturated": the writer spent at least half the
  // window in batches, and the batches were group commits of two or more
  // commands on average (commands queued while a sync ran). A steady 1,000
  // creates/s on this box is neither (batches of one, ~40% busy); an
  // `ops/bench` run is both.
  static constexpr double kSaturatedBusyFraction = 0.5;
  static constexpr double kSaturatedCommandsPerBatch = 2.0;

  // Writer thread only: one batch of `commands` commands ended at `end`
  // after `busy` of work (decide, append, apply, complete).
  void ObserveBatch(Clock::time_point end, std::size_t commands, Clock::duration busy);

  // Any thread.
  Reading Read(Clock::time_point now) const;
  bool Saturated(Clock::time_point now) const;

 private:
  // Writer-only accumulators of the open window.
  Clock::time_point window_start_{};
  Clock::duration window_busy_{};
  std::uint64_t window_commands_ = 0;
  std::uint64_t window_batches_ = 0;

  // Published at each window's end (steady-clock nanoseconds; 0: never).
  std::atomic<std::int64_t> published_at_ns_{0};
  std::atomic<std::uint32_t> busy_per_million_{0};
  std::atomic<std::uint32_t> commands_per_batch_x1000_{0};
  std::atomic<std::uint32_t> commands_per_second_{0};
};

}  // namespace ticketd

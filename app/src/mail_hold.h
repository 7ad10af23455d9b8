// MailHold: whether a delivery round waits for the command path to calm down
// (issue 14 performance, session 9, mailpace).
//
// The spool's cost under a create burst is the disk, not the CPU: each
// round's file writes and flushes queue beside the WAL's syncs in the
// disk's one request queue (docs/performance.md, mailcost and mailpace).
// So while the writer is saturated (CommandPathLoad::Saturated: half its
// time in batches, group commits of two or more), delivery rounds wait, and
// mail goes out between bursts. The wait is bounded: a mail never waits
// longer than `bound` for it: held once the oldest due mail has waited
// `bound` since it became due (queued: within one notifier round of its
// commit), or the hold itself has lasted `bound` (steady time, should the
// wall clock step back). Then the hold "releases": every mail due at that
// moment goes out, in rounds that do not ask again (the caller tracks which
// mails those are), and a new hold may start at once for the mails after
// them. A quiet writer is never waited for: nothing is held at a steady
// 1,000 creates/s.
//
// Pure: the clock reading and the load reading are the caller's, so tests
// drive it with made-up times.
#pragma once

#include <chrono>
#include <optional>

namespace ticketd::app {

class MailHold {
 public:
  using Clock = std::chrono::steady_clock;
  // How often a held round reads the load again: the signal's window.
  static constexpr Clock::duration kRecheck = std::chrono::milliseconds(100);

  explicit MailHold(Clock::duration bound) : bound_(bound) {}

  struct Verdict {
    // Deliver now (nullopt), or wait until this time and ask again.
    std::optional<Clock::time_point> wait_until;
    // Delivering because a held mail reached the bound: the caller sends
    // every mail due now without asking again.
    bool released = false;
  };

  // Mails are due at `now`, the oldest of them for `oldest_waited`;
  // `saturated` is the command path's reading then.
  Verdict Decide(Clock::time_point now, bool saturated, Clock::duration oldest_waited);

  // While holding: since when (for /metrics: the current hold's age).
  std::optional<Clock::time_point> held_since() const { return held_since_; }

 private:
  const Clock::duration bound_;
  std::optional<Clock::time_point> held_since_;
};

}  // namespace ticketd::app

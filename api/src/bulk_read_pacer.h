// BulkReadPacer: how fast the upload bodies may be read (issue 13's QoS).
// While the command path is saturated (CommandPathLoad::Saturated), all bulk
// body reads of the process together get a floor rate; otherwise they are
// not limited at all. A paced upload stops reading its socket, the kernel's
// receive buffer fills, and the client's send blocks: the upload then takes
// no CPU on either side (the clients' copies into loopback sockets cost as
// much as the server's reads), and the creates keep the cores.
//
// The budget is one shared schedule (GCRA, "virtual finish time"): each
// charge pushes the time the budget is next free by bytes / floor, and the
// caller waits until then. Charges are served in the order they arrive, so
// no upload starves: with N uploads each waits at most N pieces' worth of
// floor time between its reads, and a 25 MiB upload finishes in about
// N x 25 MiB / floor while creates saturate the box. Once the load ends the
// schedule is forgiven (the next charge waits nothing).
//
// Charged after the read (the bytes actually read), so a reader never
// reserves what the socket did not have; the first read of a saturated
// period is free, the next waits. Thread-safe; one short lock per piece.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace ticketd::api {

class BulkReadPacer {
 public:
  using Clock = std::chrono::steady_clock;

  struct Stats {
    std::uint64_t pauses = 0;           // charges that asked the reader to wait
    std::uint64_t paused_ns = 0;        // the waits asked for, summed over readers
    std::uint64_t paced_bytes = 0;      // bytes charged while saturated
  };

  // 0 bytes/s: pacing off (every charge returns zero). The server's default
  // floor is its option's (server_options.h, --upload-floor-kib).
  explicit BulkReadPacer(std::uint64_t floor_bytes_per_second = 0);

  // A reader read `bytes` of a bulk body at `now`, while the command path
  // was (`saturated`) or was not saturated. Returns how long it waits before
  // its next read: zero to go on.
  Clock::duration Charge(Clock::time_point now, bool saturated, std::size_t bytes);

  // The process's one pacer for upload bodies (the server sets its floor
  // from --upload-floor-kib at start).
  static BulkReadPacer& Uploads();

  void set_floor(std::uint64_t bytes_per_second);
  std::uint64_t floor() const;
  Stats stats() const;

 private:
  mutable std::mutex mu_;
  std::uint64_t floor_;            // bytes per second; 0: off
  Clock::time_point next_free_{};  // when the shared budget has room again
  Stats stats_;
};

}  // namespace ticketd::api

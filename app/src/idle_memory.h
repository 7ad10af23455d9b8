// IdleMemory: what the server holds for write bursts, handed back once the
// log has been quiet for a while (issue 12: RSS <= 1 GiB at a million
// tickets). A background thread looks at the log head once per `poll`; when
// it has not moved for `quiet_for` since the last release, it
//   - flushes the memtables holding at least `min_memtable_bytes` (up to
//     96 MiB after a load: the log's biggest block of memory), and
//   - returns the allocator's free pages to the system.
// Once per quiet spell: the next release waits for new appends and another
// quiet spell, so an idle server does no work at all. The write path never
// waits for it (a flush does not stop appends; see EventLog::ReleaseIdleMemory).
// docs/api-decisions.md says what is given back when, and why.
//
// Threading: its own thread (low priority, named ticketd-idlemem); the
// destructor stops and joins it. `log` must outlive it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::app {

class Metrics;

class IdleMemory {
 public:
  struct Options {
    std::chrono::milliseconds quiet_for{5000};
    std::chrono::milliseconds poll{1000};
    // Smaller memtables stay: a trickle of writes should not leave a stream
    // of tiny table files behind, and they hold little.
    std::size_t min_memtable_bytes = std::size_t{1} << 20;
  };

  // metrics may be null; otherwise it counts the releases
  // (ticketd_idle_memory_releases_total).
  IdleMemory(eventstore::EventLog& log, Metrics* metrics, Options options);
  ~IdleMemory();
  IdleMemory(const IdleMemory&) = delete;
  IdleMemory& operator=(const IdleMemory&) = delete;

  // Releases done so far (for tests and /metrics).
  std::uint64_t releases() const;

 private:
  void Run();
  void Release();
  void PublishReleased(std::uint64_t position);

  eventstore::EventLog& log_;
  Metrics* metrics_;
  Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t releases_ = 0;
  const std::uint64_t started_at_;  // the log head when constructed
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace ticketd::app

#include "idle_memory.h"

#include <cstdio>
#include <string>

#include "allocator.h"
#include "ticketd/app/metrics.h"
#include "ticketd/base/background_thread.h"

namespace ticketd::app {

IdleMemory::IdleMemory(eventstore::EventLog& log, Metrics* metrics, Options options)
    : log_(log), metrics_(metrics), options_(options), started_at_(log.HeadPosition()), thread_([this] { Run(); }) {}

IdleMemory::~IdleMemory() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::uint64_t IdleMemory::releases() const {
  std::lock_guard lock(mu_);
  return releases_;
}

void IdleMemory::Run() {
  // Low priority, not idle: a flush takes RocksDB's mutex, which the writer
  // needs too (background_thread.h).
  RunThisThreadInBackground("ticketd-idlemem", BackgroundClass::kLowPriority);
  using Clock = std::chrono::steady_clock;
  // What the log held at start came from the recovery, not from a write
  // burst: nothing to give back until the head moves past it.
  std::uint64_t seen = started_at_;
  std::uint64_t released_at = started_at_;
  Clock::time_point moved = Clock::now();
  if (metrics_) PublishReleased(released_at);
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, options_.poll, [this] { return stopping_; })) {
    const std::uint64_t head = log_.HeadPosition();
    if (head != seen) {
      seen = head;
      moved = Clock::now();
      continue;
    }
    if (head == released_at || Clock::now() - moved < options_.quiet_for) continue;
    lock.unlock();
    Release();
    lock.lock();
    released_at = head;
    ++releases_;
    if (metrics_) {
      metrics_->SetCounter("ticketd_idle_memory_releases_total",
                           "Times a quiet server handed back memtables and free allocator pages.", "cause=\"quiet\"",
                           static_cast<double>(releases_));
      PublishReleased(head);
    }
  }
}

// Equal to ticketd_log_head_position once everything written so far has
// been given back (ops/bench-sla-lib.sh waits for that before reading RSS).
void IdleMemory::PublishReleased(std::uint64_t position) {
  metrics_->SetGauge("ticketd_idle_memory_released_position",
                     "Log head at the last release of idle memory (or at start).", static_cast<double>(position));
}

void IdleMemory::Release() {
  Status flushed = log_.ReleaseIdleMemory(options_.min_memtable_bytes);
  if (!flushed.ok()) std::fprintf(stderr, "ticketd: idle memtable flush: %s\n", flushed.ToString().c_str());
  ReleaseFreeMallocMemory();
}

}  // namespace ticketd::app

#include "snapshot_scheduler.h"


#include <cstdio>
#include <memory>

#include "ticketd/base/background_thread.h"

namespace ticketd::app {

SnapshotScheduler::SnapshotScheduler(std::string dir, std::optional<eventstore::MasterKey> key,
                                     std::uint64_t every, Capture capture, CaptureHead capture_head,
                                     Rebuild rebuild)
    : store_(std::move(dir), key),
      every_(every),
      capture_(std::move(capture)),
      capture_head_(std::move(capture_head)),
      rebuild_(std::move(rebuild)) {}

SnapshotScheduler::~SnapshotScheduler() { Join(); }

void SnapshotScheduler::Recovered(std::uint64_t snapshot_position, std::uint64_t replayed) {
  std::lock_guard lock(mu_);
  position_ = snapshot_position;
  events_since_ = replayed;
}

void SnapshotScheduler::Join() {
  if (thread_.joinable()) thread_.join();
}

// Notes the head here; rebuilds, encodes, checksums and writes on another thread.
void SnapshotScheduler::MaybeWriteInBackground() {
  if (every_ == 0 || events_since_ < every_) return;
  if (busy_.load()) return;  // the previous one is still being written: try after the next batch
  Join();
  events_since_ = 0;
  const SnapshotHeader header = capture_head_();
  busy_ = true;
  thread_ = std::thread([this, header] {
    // Yields the CPU to the writer and the HTTP threads. Named so that
    // benches (ops/bench-sla-lib.sh wait_quiet) can tell a rebuild in flight
    // (a second state in memory) from a quiet server.
    RunThisThreadInBackground("ticketd-snap", BackgroundClass::kLowPriority);
    std::lock_guard lock(mu_);
    std::string body;
    Status s = rebuild_(store_, header, &body);
    if (s.ok()) s = store_.Write(header, body);
    if (s.ok()) {
      position_ = header.position;
    } else {
      std::fprintf(stderr, "ticketd: writing a snapshot failed (the log is unaffected): %s\n",
                   s.ToString().c_str());
    }
    busy_ = false;
  });
}

Status SnapshotScheduler::WriteNow(bool only_this) {
  Join();
  std::lock_guard lock(mu_);
  auto [header, body] = capture_();
  Status s = store_.Write(header, body, only_this);
  if (s.ok()) {
    position_ = header.position;
    events_since_ = 0;
  }
  return s;
}

void SnapshotScheduler::WriteOnStopIfBehind(std::uint64_t head_position) {
  Join();
  bool behind = false;
  {
    std::lock_guard lock(mu_);
    behind = head_position > position_;
  }
  if (every_ == 0 || !behind) return;
  Status s = WriteNow(/*only_this=*/false);
  if (!s.ok()) std::fprintf(stderr, "ticketd: the shutdown snapshot failed: %s\n", s.ToString().c_str());
}

}  // namespace ticketd::app

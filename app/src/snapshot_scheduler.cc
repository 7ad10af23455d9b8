#include "snapshot_scheduler.h"

#include <cstdio>
#include <memory>

namespace ticketd::app {

SnapshotScheduler::SnapshotScheduler(std::string dir, std::optional<eventstore::MasterKey> key,
                                     std::uint64_t every, Capture capture)
    : store_(std::move(dir), key), every_(every), capture_(std::move(capture)) {}

SnapshotScheduler::~SnapshotScheduler() { Join(); }

void SnapshotScheduler::Recovered(std::uint64_t snapshot_position, std::uint64_t replayed) {
  std::lock_guard lock(mu_);
  position_ = snapshot_position;
  events_since_ = replayed;
}

void SnapshotScheduler::Join() {
  if (thread_.joinable()) thread_.join();
}

// Serializes here (the state cannot change meanwhile), checksums and writes
// the file on another thread.
void SnapshotScheduler::MaybeWriteInBackground() {
  if (every_ == 0 || events_since_ < every_) return;
  if (busy_.load()) return;  // the previous one is still being written: try after the next batch
  Join();
  events_since_ = 0;
  auto captured = std::make_shared<std::pair<SnapshotHeader, std::string>>(capture_());
  busy_ = true;
  thread_ = std::thread([this, captured] {
    std::lock_guard lock(mu_);
    Status s = store_.Write(captured->first, captured->second);
    if (s.ok()) {
      position_ = captured->first.position;
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

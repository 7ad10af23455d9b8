// SnapshotScheduler: decides when the engine's state is snapshotted and
// writes the files (through SnapshotStore). The engine tells it how many
// events each batch committed; every `every` events it notes the log head on
// the writer thread (O(1): nothing is serialized there) and a background
// thread, at a lower CPU priority, rebuilds the state at that position,
// encodes it and writes the file, one at a time (snapshot_rebuild.h).
// Erasures, retakes and a clean stop ask for a synchronous write of the
// writer's own state instead.
//
// Threading: AfterCommit and WriteNow on the writer thread (or after it has
// stopped); Join and position() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "ticketd/app/snapshot_store.h"

namespace ticketd::app {

class SnapshotScheduler {
 public:
  // The state to snapshot: its head (position, chain hash) and encoded body.
  // Called on the writer thread only.
  using Capture = std::function<std::pair<SnapshotHeader, std::string>()>;
  // Only the head, on the writer thread; and the body at a head, on the
  // background thread (it may read the store: the scheduler serializes that).
  using CaptureHead = std::function<SnapshotHeader()>;
  using Rebuild = std::function<Status(const SnapshotStore&, const SnapshotHeader&, std::string* body)>;

  // every = 0: never write one on the way (a clean stop still may: see
  // WriteOnStopIfBehind).
  SnapshotScheduler(std::string dir, std::optional<eventstore::MasterKey> key, std::uint64_t every,
                    Capture capture, CaptureHead capture_head, Rebuild rebuild);
  ~SnapshotScheduler();  // Join()s
  SnapshotScheduler(const SnapshotScheduler&) = delete;
  SnapshotScheduler& operator=(const SnapshotScheduler&) = delete;

  const SnapshotStore& store() const { return store_; }

  // At recovery: the snapshot loaded (0: none) and how many events were
  // replayed after it, so the next snapshot comes `every` events later.
  void Recovered(std::uint64_t snapshot_position, std::uint64_t replayed);

  // Writer thread: a batch committed `events` events.
  void Committed(std::uint64_t events) { events_since_ += events; }
  // Writer thread, after the batch's answers went out: starts a background
  // write once `every` events have been committed since the last snapshot.
  void MaybeWriteInBackground();

  // Captures and writes now, waiting for a background write first. With
  // only_this, every other snapshot file is deleted (erasure).
  Status WriteNow(bool only_this);

  // After the writer stopped: writes one if snapshots are on and the log
  // moved past the newest snapshot.
  void WriteOnStopIfBehind(std::uint64_t head_position);

  void Join();

 private:
  SnapshotStore store_;
  std::uint64_t every_;
  Capture capture_;
  CaptureHead capture_head_;
  Rebuild rebuild_;
  std::mutex mu_;                  // serializes writes against a background write in flight
  std::thread thread_;
  std::atomic<bool> busy_{false};
  std::uint64_t position_ = 0;     // newest snapshot loaded or written (under mu_)
  std::uint64_t events_since_ = 0; // writer thread only
};

}  // namespace ticketd::app

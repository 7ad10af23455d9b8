// ReadAllPipelined: one thread reads and decodes, the caller's thread visits.
// Events travel in chunks (one lock per chunk, not per event), at most
// kChunksInFlight of them, so memory stays bounded whatever the log's size.
// A visited chunk goes back to the reader, which decodes the next events over
// the old ones: their memory is freed and reused on the reading thread, not
// on the (busier) folding one.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "rocks_event_log.h"

namespace ticketd::eventstore {
namespace {

constexpr std::size_t kChunkEvents = 256;
constexpr std::size_t kChunksInFlight = 8;

struct Chunk {
  std::vector<RecordedEvent> events;  // the first `count` are this chunk's
  std::size_t count = 0;
};

// The hand-over between the two threads.
class ChunkQueue {
 public:
  ChunkQueue() : spare_(kChunksInFlight) {
    for (Chunk& chunk : spare_) chunk.events.resize(kChunkEvents);
  }

  // Reader: a chunk to fill; false once the visitor stopped.
  bool TakeSpare(Chunk* chunk) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !spare_.empty() || stopped_; });
    if (stopped_) return false;
    *chunk = std::move(spare_.back());
    spare_.pop_back();
    return true;
  }
  void PushFull(Chunk chunk) {
    std::lock_guard lock(mu_);
    full_.push_back(std::move(chunk));
    changed_.notify_all();
  }
  void FinishReading(Status status) {
    std::lock_guard lock(mu_);
    reader_status_ = std::move(status);
    reading_ = false;
    changed_.notify_all();
  }

  // Visitor: the next full chunk; false when the reader is done and every
  // chunk was taken (then `reader_status` is its outcome).
  bool TakeFull(Chunk* chunk, Status* reader_status) {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return !full_.empty() || !reading_; });
    if (full_.empty()) {
      *reader_status = reader_status_;
      return false;
    }
    *chunk = std::move(full_.front());
    full_.pop_front();
    return true;
  }
  void ReturnSpare(Chunk chunk) {
    std::lock_guard lock(mu_);
    spare_.push_back(std::move(chunk));
    changed_.notify_all();
  }
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;  // both sides wait on it; few waits per chunk
  std::vector<Chunk> spare_;
  std::deque<Chunk> full_;
  bool reading_ = true;
  bool stopped_ = false;
  Status reader_status_;
};

}  // namespace

Status RocksEventLog::ReadAllPipelined(std::uint64_t from,
                                       const std::function<bool(const RecordedEvent&)>& visit) const {
  ChunkQueue queue;
  std::thread reader([&] {
    Status problem;
    Status s;
    try {
      Chunk chunk;
      if (!queue.TakeSpare(&chunk)) return queue.FinishReading(Status::Ok());
      s = ReadAllRaw(from, [&](const RawRecord& raw) {
        problem = DecodeRecord(raw, &chunk.events[chunk.count]);
        if (!problem.ok()) return false;
        if (++chunk.count < chunk.events.size()) return true;
        queue.PushFull(std::move(chunk));
        chunk = Chunk{};
        return queue.TakeSpare(&chunk);
      });
      // The events decoded before a failure are still visited, as ReadAll does.
      if (chunk.count > 0) queue.PushFull(std::move(chunk));
    } catch (const std::exception& e) {  // out of memory in a chunk
      s = Status::IOError(std::string("reading the log failed: ") + e.what());
    }
    queue.FinishReading(s.ok() ? problem : s);
  });
  Status outcome;
  Chunk chunk;
  bool visiting = true;
  while (queue.TakeFull(&chunk, &outcome)) {
    for (std::size_t i = 0; visiting && i < chunk.count; ++i) visiting = visit(chunk.events[i]);
    chunk.count = 0;
    queue.ReturnSpare(std::move(chunk));
    if (!visiting) {
      queue.Stop();
      outcome = Status::Ok();
      break;
    }
  }
  reader.join();
  return outcome;
}

}  // namespace ticketd::eventstore

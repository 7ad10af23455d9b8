#include "verify.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "ticketd/eventstore/event_codec.h"

namespace ticketd::replay {
namespace {

// Envelopes handed from the scanning thread to the decoding one, in chunks
// so the hand-over costs one lock per few thousand events.
struct Chunk {
  std::vector<std::uint64_t> positions;
  std::vector<std::string> envelopes;
};

constexpr std::size_t kChunkEvents = 4096;
constexpr std::size_t kMaxChunksInFlight = 4;  // bounds memory whatever the log size

// Decodes every envelope it is given on its own thread: decoding costs about
// as much as reading and hashing, so the two halves run side by side.
class DecodeWorker {
 public:
  DecodeWorker() : thread_([this] { Run(); }) {}
  ~DecodeWorker() { Finish(); }

  void Push(Chunk chunk) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return queue_.size() < kMaxChunksInFlight || failed_; });
    if (failed_) return;  // a decode failed already: later events do not matter
    queue_.push_back(std::move(chunk));
    ready_.notify_one();
  }

  // Waits for everything pushed; returns the first undecodable position (0: none).
  std::uint64_t Finish(std::string* problem = nullptr) {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    ready_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (problem) *problem = problem_;
    return bad_position_;
  }

 private:
  void Run() {
    eventstore::RecordedEvent decoded;
    for (;;) {
      Chunk chunk;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;
        chunk = std::move(queue_.front());
        queue_.pop_front();
        room_.notify_one();
      }
      for (std::size_t i = 0; i < chunk.envelopes.size(); ++i) {
        Status s = eventstore::DecodeEnvelope(chunk.envelopes[i], &decoded);
        if (s.ok() && decoded.position == chunk.positions[i]) continue;
        std::lock_guard lock(mu_);
        bad_position_ = chunk.positions[i];
        problem_ = s.ok() ? "envelope position does not match its key" : s.ToString();
        failed_ = true;
        queue_.clear();
        room_.notify_all();
        return;
      }
    }
  }

  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<Chunk> queue_;
  bool done_ = false, failed_ = false;
  std::uint64_t bad_position_ = 0;
  std::string problem_;
  std::thread thread_;
};

}  // namespace

VerifyReport VerifyLog(const eventstore::EventLog& log) {
  VerifyReport report;
  eventstore::Hash previous{};
  std::uint64_t expected_position = 1;
  DecodeWorker decoder;
  Chunk chunk;
  Status s = log.ReadAllRaw(1, [&](const eventstore::RawRecord& record) {
    if (record.position != expected_position) {
      report.first_bad_position = expected_position;
      report.problem = "gap in positions: expected " + std::to_string(expected_position) + ", found " +
                       std::to_string(record.position);
      return false;
    }
    eventstore::Hash computed = eventstore::ChainHash(previous, record.envelope);
    if (computed != record.hash) {
      report.first_bad_position = record.position;
      report.problem = "hash chain broken: stored " + eventstore::HashToHex(record.hash) + ", computed " +
                       eventstore::HashToHex(computed);
      return false;
    }
    chunk.positions.push_back(record.position);
    chunk.envelopes.emplace_back(record.envelope);
    if (chunk.envelopes.size() == kChunkEvents) decoder.Push(std::exchange(chunk, Chunk{}));
    previous = computed;
    ++report.events;
    ++expected_position;
    return true;
  });
  if (!chunk.envelopes.empty()) decoder.Push(std::move(chunk));
  if (report.problem.empty() && !s.ok()) {
    report.first_bad_position = expected_position;
    report.problem = s.ToString();
  }
  // An undecodable envelope before the first scan problem is the first bad position.
  std::string decode_problem;
  if (std::uint64_t bad = decoder.Finish(&decode_problem);
      bad != 0 && (report.problem.empty() || bad < report.first_bad_position)) {
    report.first_bad_position = bad;
    report.problem = decode_problem;
    report.events = bad - 1;
    previous = eventstore::Hash{};  // not reported when !ok
  }
  if (report.problem.empty() && log.HeadPosition() != report.events) {
    report.first_bad_position = report.events + 1;
    report.problem = "log head is " + std::to_string(log.HeadPosition()) + " but only " +
                     std::to_string(report.events) + " events could be read";
  }
  report.ok = report.problem.empty();
  report.head_position = report.events;
  report.head_hash = previous;
  return report;
}

}  // namespace ticketd::replay

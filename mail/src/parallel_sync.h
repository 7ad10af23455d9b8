// Makes many files durable at once. fdatasync() ends with a flush of the
// disk's write cache; one sync after another pays one flush each (~5 ms on
// this project's virtual disks, so 256 spooled mails took over a second and
// queued their flushes between the event log's WAL syncs). Issued together
// from a pool of threads, the block layer serves every sync waiting on a
// flush with the same flush (blk-flush merges pending flushes), so a batch
// costs a few flushes, not one per file, and flushes nothing but these
// files (unlike syncfs(), which writes every dirty page of the filesystem).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace ticketd::mail {

class ParallelSync {
 public:
  // The threads start with the first call, so they inherit its thread's
  // nice value (the mail delivery thread's: they never outrank the writer).
  explicit ParallelSync(std::size_t threads) : thread_count_(threads) {}
  ~ParallelSync();
  ParallelSync(const ParallelSync&) = delete;
  ParallelSync& operator=(const ParallelSync&) = delete;

  // fdatasync() of every fd at once; the result holds 0 or the errno of each
  // fd, in order. The calling thread syncs too. One caller at a time.
  std::vector<int> DataSyncAll(std::span<const int> fds);

 private:
  struct Job;
  void Work();

  const std::size_t thread_count_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::shared_ptr<Job> job_;      // guarded by mu_: the batch being synced
  std::uint64_t generation_ = 0;  // guarded by mu_: bumped per batch
  bool stopping_ = false;         // guarded by mu_
};

}  // namespace ticketd::mail

#include "parallel_sync.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace ticketd::mail {

// One batch. Workers that wake late hold it by shared_ptr and find it done.
struct ParallelSync::Job {
  explicit Job(std::span<const int> f) : fds(f), errors(f.size(), 0) {}
  // Takes fds until none is left; the last one done wakes the caller.
  void Run() {
    for (std::size_t i = next.fetch_add(1); i < fds.size(); i = next.fetch_add(1)) {
      if (::fdatasync(fds[i]) != 0) errors[i] = errno;
      if (done.fetch_add(1) + 1 == fds.size()) {
        std::lock_guard lock(mu);
        finished = true;
        finished_cv.notify_all();
      }
    }
  }

  const std::span<const int> fds;
  std::vector<int> errors;  // errors[i] written only by the thread that took i
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex mu;
  std::condition_variable finished_cv;
  bool finished = false;  // guarded by mu
};

ParallelSync::~ParallelSync() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

std::vector<int> ParallelSync::DataSyncAll(std::span<const int> fds) {
  if (fds.empty()) return {};
  auto job = std::make_shared<Job>(fds);
  if (fds.size() > 1) {
    std::lock_guard lock(mu_);
    while (threads_.size() < thread_count_) threads_.emplace_back([this] { Work(); });
    job_ = job;
    ++generation_;
  }
  if (fds.size() > 1) work_cv_.notify_all();
  job->Run();
  std::unique_lock lock(job->mu);
  job->finished_cv.wait(lock, [&] { return job->finished; });
  return std::move(job->errors);
}

void ParallelSync::Work() {
  std::uint64_t seen = 0;
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      job = job_;
    }
    job->Run();
  }
}

}  // namespace ticketd::mail

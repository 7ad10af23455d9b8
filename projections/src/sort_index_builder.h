// SortIndexBuilder: builds tenants' sort indexes on one background thread,
// so that no query and no write waits for a whole build. A query that finds
// its sort's index missing answers with the scan (exact) and calls Request;
// the thread (started on the first request) builds
// one index at a time with SortIndexBuild, taking the tenant's shared lock
// only for short steps: copying keys a range of slots at a time, catching up
// with the slots the writer changed meanwhile, and installing. Every other
// step (the sort, the merges) runs unlocked.
//
// Destruction stops the thread: a build in progress is abandoned (its log
// removed from the tenant), so the tenants must outlive the builder.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "ticket_index.h"

namespace ticketd::projections {

class SortIndexBuilder {
 public:
  // Runs fn under the tenant's shared lock; false if there is no such tenant.
  using ReadTenant = std::function<bool(const domain::Id&, const std::function<void(const TicketIndex&)>&)>;

  explicit SortIndexBuilder(ReadTenant read_tenant);
  ~SortIndexBuilder();
  SortIndexBuilder(const SortIndexBuilder&) = delete;
  SortIndexBuilder& operator=(const SortIndexBuilder&) = delete;

  // Any thread. Queues a build of `spec` (normalized) for the tenant unless
  // one is queued or running; a build finds out itself if the index exists.
  void Request(const domain::Id& tenant_id, const SortSpec& spec);
  // Tests and benches: blocks until no build is queued or running.
  void WaitIdle();

  struct Stats {
    std::uint64_t built = 0;
    std::uint64_t caught_up = 0;  // changed slots applied after the first copy
    double longest_hold_ms = 0;   // the longest the tenant's lock was held by a step
  };
  Stats stats() const;

 private:
  struct Job {
    domain::Id tenant_id;
    SortSpec spec;
  };

  void Run();
  void Build(const Job& job);
  bool Queued(const Job& job) const;  // under mu_

  ReadTenant read_tenant_;
  mutable std::mutex mu_;
  std::condition_variable wake_, idle_;
  std::deque<Job> jobs_;  // the front one is running while busy_
  bool busy_ = false;
  std::atomic<bool> stop_{false};
  Stats stats_;
  std::thread thread_;  // started on the first request
};

}  // namespace ticketd::projections

#include "sort_index_builder.h"

#include <algorithm>
#include <chrono>

#include "sort_index_build.h"

namespace ticketd::projections {
namespace {

// Slots read per lock hold: about a millisecond of lock time.
constexpr std::uint32_t kChunk = 8192;
// Catch-up rounds run unlocked until the writer's changes since the last
// round are this few (or after kMaxRounds); the last batch is applied under
// the lock, O(changes × log n).
constexpr std::size_t kFewChanges = 4096;
constexpr int kMaxRounds = 8;
// The thread keeps the default CPU priority: a niced thread that holds the
// tenant's lock on a busy box is descheduled for long stretches while the
// writer waits on it (priority inversion, seen as 1-2 s update stalls), and
// an unprivileged thread cannot raise its priority back around its locks.

std::vector<std::uint32_t> Unique(std::vector<std::uint32_t> slots) {
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

}  // namespace

SortIndexBuilder::SortIndexBuilder(ReadTenant read_tenant) : read_tenant_(std::move(read_tenant)) {}

SortIndexBuilder::~SortIndexBuilder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool SortIndexBuilder::Queued(const Job& job) const {
  return std::any_of(jobs_.begin(), jobs_.end(), [&](const Job& queued) {
    return queued.tenant_id == job.tenant_id && queued.spec.field == job.spec.field &&
           queued.spec.descending == job.spec.descending;
  });
}

void SortIndexBuilder::Request(const domain::Id& tenant_id, const SortSpec& spec) {
  {
    std::lock_guard lock(mu_);
    const Job job{tenant_id, spec};
    if (stop_ || Queued(job)) return;
    jobs_.push_back(job);
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  wake_.notify_one();
}

void SortIndexBuilder::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return jobs_.empty() || stop_; });
}

SortIndexBuilder::Stats SortIndexBuilder::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void SortIndexBuilder::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
    if (stop_) break;
    const Job job = jobs_.front();  // stays queued while it runs: Request skips it
    lock.unlock();
    Build(job);
    lock.lock();
    jobs_.pop_front();
    if (jobs_.empty()) idle_.notify_all();
  }
  idle_.notify_all();
}

void SortIndexBuilder::Build(const Job& job) {
  bool started = false;
  std::uint32_t slots = 0;
  SortColumns columns;
  double longest_hold_ms = 0;
  auto read = [&](auto&& fn) {
    read_tenant_(job.tenant_id, [&](const TicketIndex& index) {
      const auto start = std::chrono::steady_clock::now();
      fn(index);
      longest_hold_ms = std::max(
          longest_hold_ms, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    });
  };
  read([&](const TicketIndex& index) {
    started = index.StartSortIndexBuild(job.spec);
    slots = index.slot_count();  // later slots are in the change log
    columns = index.sort_columns();
  });
  if (!started) return;
  auto abandon = [&] { read([&](const TicketIndex& index) { index.FinishSortIndexBuild(job.spec, nullptr); }); };
  SortIndexBuild build(columns, job.spec);
  for (std::uint32_t begin = 0; begin < slots; begin += kChunk) {
    if (stop_) return abandon();
    read([&](const TicketIndex&) { build.Collect(begin, std::min(slots, begin + kChunk)); });
  }
  if (!build.Sort(stop_)) return abandon();
  std::uint64_t caught_up = 0;
  for (int round = 0; round < kMaxRounds; ++round) {
    if (stop_) return abandon();
    std::vector<std::uint32_t> changed;
    read([&](const TicketIndex& index) { changed = index.TakeSortIndexChanges(job.spec); });
    SortIndexBuild::Changes changes;
    changes.slots = Unique(std::move(changed));
    // A slot changed again after its part was read is in the log again.
    for (std::size_t begin = 0; begin < changes.slots.size(); begin += kChunk) {
      const std::uint32_t* first = changes.slots.data() + begin;
      const std::uint32_t* last = changes.slots.data() + std::min(changes.slots.size(), begin + kChunk);
      read([&](const TicketIndex&) { build.ReadChanges(first, last, changes); });
    }
    const std::size_t count = changes.slots.size();
    caught_up += count;
    build.Apply(std::move(changes));
    if (count <= kFewChanges) break;
  }
  std::unique_ptr<SortIndex> sort_index = build.Prepare();
  read([&](const TicketIndex& index) {
    const std::vector<std::uint32_t> changed = Unique(index.TakeSortIndexChanges(job.spec));
    caught_up += changed.size();
    build.Finish(*sort_index, changed);
    index.FinishSortIndexBuild(job.spec, std::move(sort_index));
  });
  std::lock_guard lock(mu_);
  ++stats_.built;
  stats_.caught_up += caught_up;
  stats_.longest_hold_ms = std::max(stats_.longest_hold_ms, longest_hold_ms);
}

}  // namespace ticketd::projections

#include "sort_index_builder.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "sort_index_build.h"

namespace ticketd::projections {
namespace {

// Slots copied per lock hold: at most a few milliseconds of lock time.
constexpr std::uint32_t kCollectChunk = 32768;
// Catch-up rounds run unlocked until the writer's changes since the last
// round are this few (or after kMaxRounds); the last batch is applied under
// the lock, O(changes × log n).
constexpr std::size_t kFewChanges = 1024;
constexpr int kMaxRounds = 8;
// Below the HTTP and writer threads, but not starved by a busy box.
constexpr int kNice = 10;

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
  // Linux: a thread's nice value is its own (best effort; an error changes nothing).
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kNice);
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
  auto read = [&](auto&& fn) { return read_tenant_(job.tenant_id, fn); };
  read([&](const TicketIndex& index) {
    started = index.StartSortIndexBuild(job.spec);
    slots = index.slot_count();  // later slots are in the change log
    columns = index.sort_columns();
  });
  if (!started) return;
  auto abandon = [&] { read([&](const TicketIndex& index) { index.FinishSortIndexBuild(job.spec, nullptr); }); };
  SortIndexBuild build(columns, job.spec);
  for (std::uint32_t begin = 0; begin < slots; begin += kCollectChunk) {
    if (stop_) return abandon();
    read([&](const TicketIndex&) { build.Collect(begin, std::min(slots, begin + kCollectChunk)); });
  }
  if (!build.Sort(stop_)) return abandon();
  std::uint64_t caught_up = 0;
  for (int round = 0; round < kMaxRounds; ++round) {
    if (stop_) return abandon();
    SortIndexBuild::Changes changes;
    read([&](const TicketIndex& index) { changes = build.ReadChanges(index.TakeSortIndexChanges(job.spec)); });
    const std::size_t count = changes.slots.size();
    caught_up += count;
    build.Apply(std::move(changes));
    if (count <= kFewChanges) break;
  }
  std::unique_ptr<SortIndex> sort_index = build.Prepare();
  read([&](const TicketIndex& index) {
    const std::vector<std::uint32_t> changed = index.TakeSortIndexChanges(job.spec);
    caught_up += changed.size();
    build.Finish(*sort_index, changed);
    index.FinishSortIndexBuild(job.spec, std::move(sort_index));
  });
  std::lock_guard lock(mu_);
  ++stats_.built;
  stats_.caught_up += caught_up;
}

}  // namespace ticketd::projections

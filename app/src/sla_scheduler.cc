#include "ticketd/app/sla_scheduler.h"

#include <chrono>

namespace ticketd::app {

domain::Timestamp SystemSchedulerClock::Now() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

SlaScheduler::SlaScheduler(const SchedulerClock& clock, Fire fire) : clock_(clock), fire_(std::move(fire)) {}

SlaScheduler::~SlaScheduler() { Stop(); }

void SlaScheduler::Update(const domain::Id& tenant_id, const domain::Id& ticket_id,
                          std::span<const domain::Deadline> deadlines) {
  bool earlier = false;
  {
    std::lock_guard lock(mu_);
    earlier = deadlines_.Set(tenant_id, ticket_id, deadlines);
  }
  if (earlier) cv_.notify_one();  // the sleeper's deadline moved forward
}

std::size_t SlaScheduler::RunDue(domain::Timestamp now) {
  std::vector<DueTimer> due;
  {
    std::lock_guard lock(mu_);
    for (std::optional<DueTimer> next = deadlines_.Earliest(); next && next->due_at <= now;
         next = deadlines_.Earliest()) {
      due.push_back(*next);
      deadlines_.PopEarliest();
    }
  }
  for (const DueTimer& timer : due) fire_(timer);  // outside the lock: it submits to the engine
  return due.size();
}

std::optional<domain::Timestamp> SlaScheduler::NextDue() const {
  std::lock_guard lock(mu_);
  std::optional<DueTimer> next = deadlines_.Earliest();
  if (!next) return std::nullopt;
  return next->due_at;
}

std::size_t SlaScheduler::PendingCount() const {
  std::lock_guard lock(mu_);
  return deadlines_.PendingCount();
}

void SlaScheduler::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void SlaScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SlaScheduler::Loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const std::optional<DueTimer> earliest = deadlines_.Earliest();
    if (!earliest) {
      cv_.wait(lock);
      continue;
    }
    const domain::Timestamp next = earliest->due_at;
    const domain::Timestamp now = clock_.Now();
    if (next > now) {
      // Sleeps until the earliest deadline; Update() wakes it for an earlier one.
      cv_.wait_for(lock, std::chrono::microseconds(next - now));
      continue;
    }
    lock.unlock();
    RunDue(now);
    lock.lock();
  }
}

}  // namespace ticketd::app

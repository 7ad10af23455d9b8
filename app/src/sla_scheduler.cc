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
                          const std::vector<domain::Deadline>& deadlines) {
  bool earlier = false;
  {
    std::lock_guard lock(mu_);
    auto it = by_ticket_.find(ticket_id);
    if (it != by_ticket_.end()) {
      if (it->second.deadlines == deadlines) return;
      for (const domain::Deadline& d : it->second.deadlines) ordered_.erase(Key{d.due_at, ticket_id, d.kind});
    }
    if (deadlines.empty()) {
      if (it != by_ticket_.end()) by_ticket_.erase(it);
      return;
    }
    const std::optional<domain::Timestamp> next = ordered_.empty() ? std::nullopt
                                                                   : std::optional(std::get<0>(*ordered_.begin()));
    for (const domain::Deadline& d : deadlines) {
      ordered_.insert(Key{d.due_at, ticket_id, d.kind});
      earlier |= !next || d.due_at < *next;
    }
    by_ticket_[ticket_id] = TicketTimers{tenant_id, deadlines};
  }
  if (earlier) cv_.notify_one();  // the sleeper's deadline moved forward
}

std::size_t SlaScheduler::RunDue(domain::Timestamp now) {
  std::vector<DueTimer> due;
  {
    std::lock_guard lock(mu_);
    while (!ordered_.empty() && std::get<0>(*ordered_.begin()) <= now) {
      auto [at, ticket_id, kind] = *ordered_.begin();
      ordered_.erase(ordered_.begin());
      auto it = by_ticket_.find(ticket_id);
      if (it == by_ticket_.end()) continue;
      due.push_back(DueTimer{it->second.tenant_id, ticket_id, kind, at});
      std::erase(it->second.deadlines, domain::Deadline{kind, at});
      if (it->second.deadlines.empty()) by_ticket_.erase(it);
    }
  }
  for (const DueTimer& timer : due) fire_(timer);  // outside the lock: it submits to the engine
  return due.size();
}

std::optional<domain::Timestamp> SlaScheduler::NextDue() const {
  std::lock_guard lock(mu_);
  if (ordered_.empty()) return std::nullopt;
  return std::get<0>(*ordered_.begin());
}

std::size_t SlaScheduler::PendingCount() const {
  std::lock_guard lock(mu_);
  return ordered_.size();
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
    if (ordered_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const domain::Timestamp next = std::get<0>(*ordered_.begin());
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

// SlaScheduler: time as a source of events (WORKFLOW.md "Time-driven
// transitions"). Keeps every ticket's pending deadlines (SLA targets,
// auto-close) in an ordered set, derived from the tickets as the engine
// folds them (never a second store: a restart derives them again), and
// submits a FireTimer command when one comes. The decider re-checks the
// state, and the first event's id is derived from (ticket, kind, due time),
// so a deadline decides once even across restarts and kill -9.
//
// Cost: O(log n) per ticket change; the thread sleeps until the earliest
// deadline (or a change that brings it forward), so a million pending
// deadlines cost nothing while idle.
//
// Threading: Update() from the engine's writer thread; RunDue() from the
// scheduler thread (or a test); all under one mutex held briefly.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "ticketd/domain/ticket.h"

namespace ticketd::app {

class SchedulerClock {
 public:
  virtual ~SchedulerClock() = default;
  virtual domain::Timestamp Now() const = 0;  // microseconds since the epoch, UTC
};
class SystemSchedulerClock final : public SchedulerClock {
 public:
  domain::Timestamp Now() const override;
};

struct DueTimer {
  domain::Id tenant_id;
  domain::Id ticket_id;
  domain::TimerKind kind = domain::TimerKind::kFirstResponse;
  domain::Timestamp due_at = 0;
};

class SlaScheduler {
 public:
  using Fire = std::function<void(const DueTimer&)>;
  SlaScheduler(const SchedulerClock& clock, Fire fire);
  ~SlaScheduler();  // Stop()s
  SlaScheduler(const SlaScheduler&) = delete;
  SlaScheduler& operator=(const SlaScheduler&) = delete;

  // The ticket's deadlines are now `deadlines` (empty: none, e.g. deleted).
  void Update(const domain::Id& tenant_id, const domain::Id& ticket_id, const std::vector<domain::Deadline>& deadlines);
  // Fires (and forgets) every deadline at or before `now`, earliest first.
  // Returns how many fired.
  std::size_t RunDue(domain::Timestamp now);
  std::optional<domain::Timestamp> NextDue() const;
  std::size_t PendingCount() const;

  // The thread that sleeps until the next deadline and runs RunDue.
  void Start();
  void Stop();

 private:
  using Key = std::tuple<domain::Timestamp, domain::Id, domain::TimerKind>;  // due, ticket, kind
  struct TicketTimers {
    domain::Id tenant_id;
    std::vector<domain::Deadline> deadlines;
  };
  void Loop();

  const SchedulerClock& clock_;
  Fire fire_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::set<Key> ordered_;
  std::unordered_map<domain::Id, TicketTimers, domain::IdHash> by_ticket_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ticketd::app

// SlaScheduler: time as a source of events (WORKFLOW.md "Time-driven
// transitions"). Keeps every ticket's pending deadlines (SLA targets,
// auto-close) in a DeadlineTable (flat arrays and a heap), derived from the tickets as the engine
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
#include <span>
#include <thread>

#include "ticketd/app/deadline_table.h"
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

class SlaScheduler {
 public:
  using Fire = std::function<void(const DueTimer&)>;
  SlaScheduler(const SchedulerClock& clock, Fire fire);
  ~SlaScheduler();  // Stop()s
  SlaScheduler(const SlaScheduler&) = delete;
  SlaScheduler& operator=(const SlaScheduler&) = delete;

  // The ticket's deadlines are now `deadlines` (empty: none, e.g. deleted).
  void Update(const domain::Id& tenant_id, const domain::Id& ticket_id, std::span<const domain::Deadline> deadlines);
  void Update(const domain::Id& tenant_id, const domain::Id& ticket_id,
              std::initializer_list<domain::Deadline> deadlines) {
    Update(tenant_id, ticket_id, std::span<const domain::Deadline>(deadlines.begin(), deadlines.size()));
  }
  // Fires (and forgets) every deadline at or before `now`, earliest first.
  // Returns how many fired.
  std::size_t RunDue(domain::Timestamp now);
  std::optional<domain::Timestamp> NextDue() const;
  std::size_t PendingCount() const;

  // The thread that sleeps until the next deadline and runs RunDue.
  void Start();
  void Stop();

 private:
  void Loop();

  const SchedulerClock& clock_;
  Fire fire_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  DeadlineTable deadlines_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ticketd::app

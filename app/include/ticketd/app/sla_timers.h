// Wires the SLA scheduler to the engine: derives every ticket's deadlines
// from the engine's state at start and after each change, submits a
// FireTimer when one comes, and counts breaches for /metrics
// (ticketd_sla_breaches_total{target}). Mail for escalations is the
// notifier's (it reads the sla.escalated events from the log).
#pragma once

#include <memory>

#include "ticketd/app/engine.h"
#include "ticketd/app/metrics.h"
#include "ticketd/app/sla_scheduler.h"

namespace ticketd::app {

class SlaTimers {
 public:
  // Attaches to `engine` (which must outlive this) and starts the thread.
  static std::unique_ptr<SlaTimers> Start(Engine& engine, Metrics& metrics,
                                          std::unique_ptr<SchedulerClock> clock = nullptr);
  ~SlaTimers();  // Stop()s; call before the engine stops
  void Stop();
  SlaScheduler& scheduler() { return *scheduler_; }

 private:
  SlaTimers() = default;
  void Fire(const DueTimer& timer);
  void CountBreaches(const std::vector<domain::DomainEvent>& events);
  Engine* engine_ = nullptr;
  Metrics* metrics_ = nullptr;
  std::unique_ptr<SchedulerClock> clock_;
  std::unique_ptr<SlaScheduler> scheduler_;
  bool attaching_ = false;  // the initial pass over every ticket (writer thread, then this one)
  std::mutex counts_mu_;
  std::array<double, domain::kAllSlaTargets.size()> breaches_{};
};

}  // namespace ticketd::app

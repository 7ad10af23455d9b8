#include "ticketd/app/sla_timers.h"

#include "ticketd/app/ids.h"

namespace ticketd::app {

std::unique_ptr<SlaTimers> SlaTimers::Start(Engine& engine, Metrics& metrics, std::unique_ptr<SchedulerClock> clock) {
  std::unique_ptr<SlaTimers> timers(new SlaTimers());
  timers->engine_ = &engine;
  timers->metrics_ = &metrics;
  timers->clock_ = clock ? std::move(clock) : std::make_unique<SystemSchedulerClock>();
  SlaTimers* raw = timers.get();
  timers->scheduler_ = std::make_unique<SlaScheduler>(*timers->clock_, [raw](const DueTimer& t) { raw->Fire(t); });
  raw->attaching_ = true;
  engine.AttachTicketObserver([raw](const domain::Id& tenant_id, const domain::Id& ticket_id,
                                                 const projections::TicketPtr& after) {
    std::vector<domain::Deadline> deadlines;
    if (after) {
      // Only a resolved ticket has an auto-close deadline: the tenant's
      // setting is looked up for those alone (the lookup copies the tenant's
      // SLA settings, every policy included, under the directory's lock: on
      // every create that was most of the SLA's cost on the writer).
      std::optional<domain::Duration> auto_close_after;
      if (after->status == domain::TicketStatus::kResolved) auto_close_after = raw->engine_->AutoCloseAfter(tenant_id);
      deadlines = domain::DeadlinesOf(*after, auto_close_after);
    }
    raw->scheduler_->Update(tenant_id, ticket_id, deadlines);
    // At attach time: the breaches already in the log (the counter's start).
    if (raw->attaching_ && after && after->sla) {
      std::lock_guard lock(raw->counts_mu_);
      for (domain::SlaTarget target : after->sla->breached) raw->breaches_[static_cast<std::size_t>(target)] += 1;
    }
  });
  raw->attaching_ = false;  // AttachTicketObserver waited for the writer: the initial pass is over
  raw->CountBreaches({});
  timers->scheduler_->Start();
  return timers;
}

SlaTimers::~SlaTimers() { Stop(); }

void SlaTimers::Stop() {
  if (scheduler_) scheduler_->Stop();
}

void SlaTimers::Fire(const DueTimer& timer) {
  domain::FireTimer command;
  command.header.actor.kind = domain::Actor::Kind::kPlatformAdmin;
  command.header.actor.tenant_id = timer.tenant_id;
  command.header.at = std::max(clock_->Now(), timer.due_at);
  command.header.ticket_id = timer.ticket_id;
  command.kind = timer.kind;
  command.due_at = timer.due_at;
  engine_->Submit(domain::TicketCommand{command}, RandomId(), [this](CommandOutcome&& outcome) {
    if (outcome.status.ok()) CountBreaches(outcome.events);
    // A failed append leaves the deadline to the next start (derived again
    // from the state, which does not hold the breach).
  });
}

void SlaTimers::CountBreaches(const std::vector<domain::DomainEvent>& events) {
  std::lock_guard lock(counts_mu_);
  for (const domain::DomainEvent& event : events) {
    const auto* sla = std::get_if<domain::SlaTicketEvent>(&event.payload);
    if (const auto* breached = sla ? std::get_if<domain::SlaBreached>(sla) : nullptr)
      breaches_[static_cast<std::size_t>(breached->target)] += 1;
  }
  for (domain::SlaTarget target : domain::kAllSlaTargets)
    metrics_->SetCounter("ticketd_sla_breaches_total", "SLA targets missed, by target.",
                         "target=\"" + std::string(domain::ToString(target)) + "\"",
                         breaches_[static_cast<std::size_t>(target)]);
}

}  // namespace ticketd::app

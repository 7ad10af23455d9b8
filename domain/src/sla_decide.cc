// FireTimer: what a deadline decides once it has come, and which deadlines a
// ticket has. Both read only the ticket (its SLA reading, kept current by
// the shell) and the tenant's settings, so the scheduler's queue and the
// decider agree on what is due.
#include <algorithm>

#include "ticketd/domain/status_facts.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::domain {
namespace {

using Events = std::vector<DomainEvent>;
using Decision = Result<Events, DomainError>;

bool Recorded(const TicketSla& sla, SlaTarget target) {
  return std::find(sla.breached.begin(), sla.breached.end(), target) != sla.breached.end();
}

SlaTarget TargetOf(TimerKind kind) {
  return kind == TimerKind::kFirstResponse ? SlaTarget::kFirstResponse : SlaTarget::kResolution;
}

std::optional<Timestamp> AutoCloseDue(const Ticket& t, std::optional<Duration> after) {
  if (t.status != TicketStatus::kResolved || !after) return std::nullopt;
  return t.updated_at + *after;
}

DomainEvent SystemEvent(const FireTimer& c, const Ticket& t, EventPayload payload) {
  // No actor: the system acts (history shows actor_id null).
  return DomainEvent{t.tenant_id, t.id, c.header.at, Id{}, std::move(payload)};
}

constexpr std::size_t kAllTimerKinds = 3;  // first response, resolution, auto-close

}  // namespace

std::vector<Deadline> DeadlinesOf(const Ticket& t, std::optional<Duration> auto_close_after) {
  std::vector<Deadline> deadlines;
  deadlines.reserve(kAllTimerKinds);  // one allocation on the writer, not one per push
  if (t.sla && !IsTerminal(t.status)) {
    for (TimerKind kind : {TimerKind::kFirstResponse, TimerKind::kResolution}) {
      if (Recorded(*t.sla, TargetOf(kind))) continue;
      if (std::optional<Timestamp> due = PendingDue(t.sla->clock, TargetOf(kind))) deadlines.push_back({kind, *due});
    }
  }
  if (std::optional<Timestamp> due = AutoCloseDue(t, auto_close_after))
    deadlines.push_back({TimerKind::kAutoClose, *due});
  return deadlines;
}

Decision DecideTimer(const TicketState& state, const FireTimer& c, const TicketContext& context) {
  if (state.phase != TicketState::Phase::kLive) return Events{};
  const Ticket& t = state.ticket;
  const std::vector<Deadline> deadlines = DeadlinesOf(t, context.auto_close_after);
  const bool still_due = std::find(deadlines.begin(), deadlines.end(), Deadline{c.kind, c.due_at}) != deadlines.end();
  if (!still_due || c.header.at < c.due_at) return Events{};
  if (c.kind == TimerKind::kAutoClose) {
    return Events{SystemEvent(c, t, TicketStatusChanged{t.status, TicketStatus::kClosed, std::string(kAutoCloseReason)})};
  }
  const SlaTarget target = TargetOf(c.kind);
  Events events{SystemEvent(c, t, SlaTicketEvent{SlaBreached{target, c.due_at}})};
  const SlaEscalation& escalate = context.escalate;
  SlaEscalated escalated{target, std::nullopt, escalate.notify};
  if (escalate.raise_priority) escalated.raised_to = RaisedPriority(t.priority);
  if (escalated.raised_to || !escalated.notify.empty())
    events.push_back(SystemEvent(c, t, SlaTicketEvent{std::move(escalated)}));
  return events;
}

}  // namespace ticketd::domain

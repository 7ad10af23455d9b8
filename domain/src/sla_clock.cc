// The SLA clock: due times from a ticket's compact history and its policy.
#include <algorithm>

#include "ticketd/domain/sla.h"

namespace ticketd::domain {
namespace {

// The intervals of `history` spent in a status for which `stops(status)`
// holds, in order; the last may be open-ended (kForever).
template <class Stops>
std::vector<Interval> StoppedIntervals(Timestamp created_at, const SlaHistory& history, Stops&& stops) {
  std::vector<Interval> intervals;
  TicketStatus status = TicketStatus::kOpen;
  Timestamp since = created_at;
  auto close = [&](Timestamp at) {
    if (stops(status) && at > since) {
      if (!intervals.empty() && intervals.back().end == since) intervals.back().end = at;
      else intervals.push_back({since, at});
    }
  };
  for (const SlaStatusChange& change : history.changes) {
    close(change.at);
    status = change.to;
    since = std::max(since, change.at);
  }
  close(kForever);
  return intervals;
}

// Pauses as they stood at `at`: the clock's view when a target was met.
std::vector<Interval> ClipAt(std::vector<Interval> pauses, Timestamp at) {
  std::erase_if(pauses, [at](const Interval& pause) { return pause.begin >= at; });
  for (Interval& pause : pauses) pause.end = std::min(pause.end, at);
  return pauses;
}

std::optional<Timestamp> FirstResponse(const SlaHistory& history) {
  std::optional<Timestamp> at = history.first_staff_comment_at;
  for (const SlaStatusChange& change : history.changes) {
    if (change.to != TicketStatus::kInProgress) continue;
    if (!at || change.at < *at) at = change.at;
    break;
  }
  return at;
}

// The latest move into a done status, if the ticket is done now.
std::optional<Timestamp> Resolution(const SlaHistory& history) {
  if (!IsDone(history.Current())) return std::nullopt;
  std::optional<Timestamp> at;
  bool was_done = false;
  for (const SlaStatusChange& change : history.changes) {
    if (IsDone(change.to) && !was_done) at = change.at;
    was_done = IsDone(change.to);
  }
  return at;
}

// The due time of `work` from creation under these pauses; `met_at` clips
// them to what had happened when the target was met. A target whose clock
// is stopped for good (cancelled) has no due time.
std::optional<Timestamp> DueOf(const SlaPolicy& policy, const ZoneClock& zone, Timestamp created_at,
                               Duration work, const std::vector<Interval>& pauses, std::optional<Timestamp> met_at) {
  if (met_at) {
    const std::vector<Interval> clipped = ClipAt(pauses, *met_at);
    return AddWorkingTime(policy.calendar, zone, created_at, work, clipped);
  }
  return AddWorkingTime(policy.calendar, zone, created_at, work, pauses);
}

}  // namespace

SlaClock ComputeSlaClock(const SlaPolicy& policy, const ZoneClock& zone, Timestamp created_at,
                         const SlaHistory& history) {
  auto paused_status = [&](TicketStatus s) { return policy.pause_on[IndexOf(s)] || s == TicketStatus::kCancelled; };
  // A done ticket stops both clocks: resolving without a response is not
  // a missed response, and a reopen resumes them.
  const std::vector<Interval> pauses =
      StoppedIntervals(created_at, history, [&](TicketStatus s) { return paused_status(s) || IsDone(s); });

  SlaClock clock;
  clock.first_responded_at = FirstResponse(history);
  clock.resolved_at = Resolution(history);
  clock.first_response_due_at =
      DueOf(policy, zone, created_at, policy.first_response, pauses, clock.first_responded_at);
  clock.resolution_due_at = DueOf(policy, zone, created_at, policy.resolution, pauses, clock.resolved_at);
  const TicketStatus now = history.Current();
  clock.paused = policy.pause_on[IndexOf(now)] && (!clock.first_responded_at || !clock.resolved_at);
  return clock;
}

std::optional<Timestamp> PendingDue(const SlaClock& clock, SlaTarget target) {
  switch (target) {
    case SlaTarget::kFirstResponse:
      return clock.first_responded_at ? std::nullopt : clock.first_response_due_at;
    case SlaTarget::kResolution:
      return clock.resolved_at ? std::nullopt : clock.resolution_due_at;
  }
  return std::nullopt;
}

bool IsMissed(const SlaClock& clock, SlaTarget target, Timestamp now) {
  const bool first = target == SlaTarget::kFirstResponse;
  const std::optional<Timestamp>& due = first ? clock.first_response_due_at : clock.resolution_due_at;
  const std::optional<Timestamp>& met = first ? clock.first_responded_at : clock.resolved_at;
  if (!due) return false;
  return met ? *met > *due : now >= *due;
}

}  // namespace ticketd::domain

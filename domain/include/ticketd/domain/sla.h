// SLA policies (WORKFLOW.md "SLA policies") and the SLA clock: a pure
// function of a ticket's SLA-relevant history and the policy that governs
// it. No clock inside: "now" is never needed to know when a target falls due;
// whether it was missed is decided by the caller comparing with its own now
// (the scheduler) or with the recorded sla.breached events (the read side).
//
// Thread-safety: values and free functions; safe from any thread.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/domain/business_calendar.h"
#include "ticketd/domain/errors.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/optional_timestamp.h"
#include "ticketd/domain/status_facts.h"
#include "ticketd/domain/types.h"

namespace ticketd::domain {

// Persistent values (events, snapshots): never renumber. One byte: a
// governed ticket holds a list of them.
enum class SlaTarget : std::uint8_t { kFirstResponse = 0, kResolution = 1 };
inline constexpr std::array kAllSlaTargets = {SlaTarget::kFirstResponse, SlaTarget::kResolution};
std::string_view ToString(SlaTarget target);  // "first_response", "resolution"
std::optional<SlaTarget> ParseSlaTarget(std::string_view text);

// The targets recorded as breached, in the order they were recorded: each
// target at most once, so two fit inline (12 bytes instead of a vector's 24
// plus an allocation per breached ticket). The vector interface the readers
// use (iteration, size, push_back, ==).
class SlaTargetList {
 public:
  SlaTargetList() = default;
  SlaTargetList(std::initializer_list<SlaTarget> targets) {
    for (SlaTarget target : targets) push_back(target);
  }
  SlaTargetList(const std::vector<SlaTarget>& targets) {
    for (SlaTarget target : targets) push_back(target);
  }
  std::vector<SlaTarget> ToVector() const { return {begin(), end()}; }
  const SlaTarget* begin() const { return items_.data(); }
  const SlaTarget* end() const { return items_.data() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }
  // A target already in the list is not added again (nor can a third be).
  void push_back(SlaTarget target) {
    if (std::find(begin(), end(), target) == end() && size_ < items_.size()) items_[size_++] = target;
  }
  friend bool operator==(const SlaTargetList& a, const SlaTargetList& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  std::array<SlaTarget, 2> items_{};
  std::uint8_t size_ = 0;
};

// What a scheduler's deadline is for. Persistent (it seeds timer event ids):
// never renumber.
enum class TimerKind { kFirstResponse = 0, kResolution = 1, kAutoClose = 2 };
std::string_view ToString(TimerKind kind);

// Who an escalation notifies. Persistent values: never renumber.
enum class SlaNotify { kAssignee = 0, kTeam = 1, kManagers = 2 };
inline constexpr std::array kAllSlaNotify = {SlaNotify::kAssignee, SlaNotify::kTeam, SlaNotify::kManagers};
std::string_view ToString(SlaNotify notify);
std::optional<SlaNotify> ParseSlaNotify(std::string_view text);

struct SlaEscalation {
  bool raise_priority = false;
  std::vector<SlaNotify> notify;
  friend bool operator==(const SlaEscalation&, const SlaEscalation&) = default;
};

// Empty list: any value matches.
struct SlaAppliesTo {
  std::vector<Priority> priority;
  std::vector<TicketType> type;
  std::vector<Id> group_id;
  friend bool operator==(const SlaAppliesTo&, const SlaAppliesTo&) = default;
};

struct SlaPolicy {
  Id policy_id;
  std::string name;
  std::int64_t order = 0;
  SlaAppliesTo applies_to;
  Duration first_response = 0;  // counted time, microseconds
  Duration resolution = 0;
  BusinessCalendar calendar;    // always_open for "24x7"
  std::array<bool, kStatusCount> pause_on{};  // by status; default: on_hold only
  SlaEscalation escalate;
  friend bool operator==(const SlaPolicy&, const SlaPolicy&) = default;
};

inline constexpr std::size_t kMaxSlaPolicyNameChars = 200;
inline constexpr std::size_t kMaxSlaHolidays = 1000;  // ~30 years of national holidays
inline constexpr std::size_t kMaxSlaPoliciesPerTenant = 1000;
// The auto-close default of a tenant that never set it (WORKFLOW.md: P7D).
inline constexpr Duration kDefaultAutoCloseAfter = 7 * kMicrosPerDay;

std::array<bool, kStatusCount> DefaultPauseOn();

// The checks that need no time-zone database (the shell checks the zone
// name): 400 VALIDATION_ERROR naming the field ("first_response",
// "calendar.to", "calendar.days", "calendar.holidays", ...).
std::optional<DomainError> ValidateSlaPolicy(const SlaPolicy& policy);

// What a policy is matched against.
struct SlaTicketFacts {
  Priority priority = Priority::kMedium;
  TicketType type = TicketType::kIncident;
  std::optional<Id> group_id;
};
bool Matches(const SlaAppliesTo& applies_to, const SlaTicketFacts& ticket);
// The governing policy: the first by (order, policy_id) that matches; null
// if none does. `policies` in any order.
const SlaPolicy* ChoosePolicy(std::span<const SlaPolicy> policies, const SlaTicketFacts& ticket);

// One ticket's SLA-relevant history, compact: the status changes in order
// (the ticket starts `open` at its created_at, which the clock takes beside
// it: the ticket holds it once) and the first public staff comment. This is
// all the clock reads, so simulate and recompute never need the log.
struct SlaStatusChange {
  Timestamp at = 0;
  TicketStatus to = TicketStatus::kOpen;
  friend bool operator==(const SlaStatusChange&, const SlaStatusChange&) = default;
};
struct SlaHistory {
  std::vector<SlaStatusChange> changes;
  OptionalTimestamp first_staff_comment_at;
  TicketStatus Current() const { return changes.empty() ? TicketStatus::kOpen : changes.back().to; }
  friend bool operator==(const SlaHistory&, const SlaHistory&) = default;
};

// The clock's reading. A due time is null while its clock is paused (it is
// not known until the pause ends) and when the calendar holds no working
// time within kMaxCalendarDays.
struct SlaClock {
  // Compact optionals: one SlaClock per governed ticket.
  OptionalTimestamp first_response_due_at;
  OptionalTimestamp first_responded_at;
  OptionalTimestamp resolution_due_at;
  OptionalTimestamp resolved_at;
  bool paused = false;  // in a pause_on status with a target still unmet
  friend bool operator==(const SlaClock&, const SlaClock&) = default;
};

// First response: the first public comment by staff or the first move to
// in_progress, whichever comes first. Resolution: the ticket is resolved or
// closed (the latest such move; a reopen clears it and the clock resumes;
// time spent resolved does not count). Time counts inside the calendar and
// outside pause_on statuses only. Cancelled tickets stop both clocks.
SlaClock ComputeSlaClock(const SlaPolicy& policy, const ZoneClock& zone, Timestamp created_at,
                         const SlaHistory& history);

// A ticket's SLA as every reader shows it (ticket JSON `sla`): the
// governing policy, the clock's reading, and the targets recorded as
// breached (sla.breached events).
struct TicketSla {
  Id policy_id;
  SlaClock clock;
  SlaTargetList breached;
  friend bool operator==(const TicketSla&, const TicketSla&) = default;
};

// The due time of `target` if it is still unmet (and its clock running).
std::optional<Timestamp> PendingDue(const SlaClock& clock, SlaTarget target);
// Whether `target` was missed as seen at `now`: met after its due time, or
// still unmet with the due time reached.
bool IsMissed(const SlaClock& clock, SlaTarget target, Timestamp now);

// The next priority up (low -> medium -> high -> urgent); nullopt at urgent.
std::optional<Priority> RaisedPriority(Priority priority);

}  // namespace ticketd::domain

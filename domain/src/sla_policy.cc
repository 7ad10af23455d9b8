// SLA policies: names of the enums, validation, matching, choice.
#include <algorithm>

#include "ticketd/domain/iso_duration.h"
#include "ticketd/domain/sla.h"

namespace ticketd::domain {
namespace {

template <class T>
bool AnyOrContains(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

DomainError Invalid(std::string field, std::string message) {
  return MakeError(ErrorCode::kValidation, std::move(message), std::move(field));
}

}  // namespace

std::string_view ToString(SlaTarget target) {
  switch (target) {
    case SlaTarget::kFirstResponse: return "first_response";
    case SlaTarget::kResolution: return "resolution";
  }
  return "first_response";
}

std::optional<SlaTarget> ParseSlaTarget(std::string_view text) {
  for (SlaTarget target : kAllSlaTargets)
    if (ToString(target) == text) return target;
  return std::nullopt;
}

std::string_view ToString(TimerKind kind) {
  switch (kind) {
    case TimerKind::kFirstResponse: return "first_response";
    case TimerKind::kResolution: return "resolution";
    case TimerKind::kAutoClose: return "auto_close";
  }
  return "first_response";
}

std::string_view ToString(SlaNotify notify) {
  switch (notify) {
    case SlaNotify::kAssignee: return "assignee";
    case SlaNotify::kTeam: return "team";
    case SlaNotify::kManagers: return "managers";
  }
  return "assignee";
}

std::optional<SlaNotify> ParseSlaNotify(std::string_view text) {
  for (SlaNotify notify : kAllSlaNotify)
    if (ToString(notify) == text) return notify;
  return std::nullopt;
}

std::array<bool, kStatusCount> DefaultPauseOn() {
  std::array<bool, kStatusCount> pause_on{};
  pause_on[IndexOf(TicketStatus::kOnHold)] = true;
  return pause_on;
}

std::optional<DomainError> ValidateSlaPolicy(const SlaPolicy& policy) {
  if (policy.name.empty() || policy.name.size() > kMaxSlaPolicyNameChars)
    return Invalid("name", "name must be 1 to 200 characters");
  for (auto [field, duration] : {std::pair{"first_response", policy.first_response},
                                 std::pair{"resolution", policy.resolution}}) {
    if (duration <= 0 || duration > kMaxIsoDuration)
      return Invalid(field, std::string(field) + " must be a positive ISO 8601 duration of at most ten years");
  }
  const BusinessCalendar& calendar = policy.calendar;
  if (calendar.always_open) return std::nullopt;
  if (calendar.from_minute < 0 || calendar.from_minute >= kMinutesPerDay)
    return Invalid("calendar.from", "calendar.from must be a time HH:MM");
  if (calendar.to_minute <= calendar.from_minute || calendar.to_minute > kMinutesPerDay)
    return Invalid("calendar.to", "calendar.to must be later than calendar.from");
  if (std::none_of(calendar.working_days.begin(), calendar.working_days.end(), [](bool on) { return on; }))
    return Invalid("calendar.days", "calendar.days must name at least one working day");
  if (calendar.holidays.size() > kMaxSlaHolidays)
    return Invalid("calendar.holidays", "calendar.holidays holds at most 1000 dates");
  return std::nullopt;
}

bool Matches(const SlaAppliesTo& applies_to, const SlaTicketFacts& ticket) {
  if (!AnyOrContains(applies_to.priority, ticket.priority)) return false;
  if (!AnyOrContains(applies_to.type, ticket.type)) return false;
  if (applies_to.group_id.empty()) return true;
  return ticket.group_id && AnyOrContains(applies_to.group_id, *ticket.group_id);
}

const SlaPolicy* ChoosePolicy(std::span<const SlaPolicy> policies, const SlaTicketFacts& ticket) {
  const SlaPolicy* chosen = nullptr;
  for (const SlaPolicy& policy : policies) {
    if (!Matches(policy.applies_to, ticket)) continue;
    if (!chosen || policy.order < chosen->order ||
        (policy.order == chosen->order && policy.policy_id < chosen->policy_id))
      chosen = &policy;
  }
  return chosen;
}

std::optional<Priority> RaisedPriority(Priority priority) {
  switch (priority) {
    case Priority::kLow: return Priority::kMedium;
    case Priority::kMedium: return Priority::kHigh;
    case Priority::kHigh: return Priority::kUrgent;
    case Priority::kUrgent: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace ticketd::domain

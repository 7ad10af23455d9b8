// SLA and time-driven events (WORKFLOW.md, issue 12): the policies and the
// auto-close setting on the tenant directory stream (one alternative of
// EventPayload: SlaDirectoryEvent), the breaches and escalations on a
// ticket's stream (SlaTicketEvent). The auto-close itself is an ordinary
// TicketStatusChanged with reason "auto_close" and no actor.
#pragma once

#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "ticketd/domain/sla.h"
#include "ticketd/domain/ticket_value.h"
#include "ticketd/domain/types.h"

namespace ticketd::domain {

// Created or changed: the policy's whole value after the change.
struct SlaPolicySaved {
  SlaPolicy policy;
  friend bool operator==(const SlaPolicySaved&, const SlaPolicySaved&) = default;
};
struct SlaPolicyDeleted {
  Id policy_id;
  friend bool operator==(const SlaPolicyDeleted&, const SlaPolicyDeleted&) = default;
};
// Tenant setting auto_close_resolved_after; nullopt: never.
struct AutoCloseChanged {
  std::optional<Duration> after;
  friend bool operator==(const AutoCloseChanged&, const AutoCloseChanged&) = default;
};
using SlaDirectoryEvent = std::variant<SlaPolicySaved, SlaPolicyDeleted, AutoCloseChanged>;

// A target passed unmet. The event id is derived from (ticket, target,
// due_at), so the log takes it once however often the scheduler tries.
struct SlaBreached {
  SlaTarget target = SlaTarget::kFirstResponse;
  Timestamp due_at = 0;
  friend bool operator==(const SlaBreached&, const SlaBreached&) = default;
};
// The policy's escalation after a breach: the priority raised one step (if
// asked and not urgent yet) and who is to be told (mail: the notifier).
struct SlaEscalated {
  SlaTarget target = SlaTarget::kFirstResponse;
  std::optional<Priority> raised_to;
  std::vector<SlaNotify> notify;
  friend bool operator==(const SlaEscalated&, const SlaEscalated&) = default;
};
using SlaTicketEvent = std::variant<SlaBreached, SlaEscalated>;

// Persisted type tags ("sla.breached"). Persistent format: never rename.
std::string_view SlaEventTypeName(const SlaDirectoryEvent& event);
std::string_view SlaEventTypeName(const SlaTicketEvent& event);

inline constexpr std::string_view kAutoCloseReason = "auto_close";

// ---- commands (settings:manage; DecideDirectory) ----
// POST (create: no policy with that id yet) or PATCH (the whole new value).
struct SaveSlaPolicy {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  SlaPolicy policy;
  bool create = true;
};
struct DeleteSlaPolicy {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  Id policy_id;
};
struct SetAutoClose {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  std::optional<Duration> after;
};

// The tenant's SLA settings as folded from its directory stream.
struct SlaSettings {
  std::vector<SlaPolicy> policies;  // live ones, in creation order
  std::optional<Duration> auto_close_after = kDefaultAutoCloseAfter;
  const SlaPolicy* Find(const Id& policy_id) const;
  friend bool operator==(const SlaSettings&, const SlaSettings&) = default;
};
void EvolveSlaSettings(SlaSettings& settings, const SlaDirectoryEvent& event);
// Folds an SLA ticket event into the ticket (breached targets, raised
// priority); the clock itself is the shell's (it knows the policies).
void EvolveTicketSla(Ticket& ticket, const SlaTicketEvent& event);

}  // namespace ticketd::domain

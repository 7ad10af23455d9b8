// SLA payloads: one encoder branch per event (no default), one decoder case
// per oneof field.
#include "sla_payload_codec.h"

#include <algorithm>

#include "id_text.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::eventstore {
namespace {

using namespace ticketd::domain;

template <class Enum>
bool EnumIn(int value, std::size_t count, Enum* out) {
  if (value < 0 || static_cast<std::size_t>(value) >= count) return false;
  *out = static_cast<Enum>(value);
  return true;
}

void EncodePolicy(const SlaPolicy& policy, v1::SlaPolicyValue* p) {
  p->set_policy_id(IdText(policy.policy_id));
  p->set_name(policy.name);
  p->set_order(policy.order);
  for (Priority priority : policy.applies_to.priority) p->add_applies_priority(static_cast<v1::Priority>(priority));
  for (TicketType type : policy.applies_to.type) p->add_applies_type(static_cast<v1::TicketType>(type));
  for (const Id& group : policy.applies_to.group_id) p->add_applies_group_id(IdText(group));
  p->set_first_response_us(policy.first_response);
  p->set_resolution_us(policy.resolution);
  v1::SlaCalendar* calendar = p->mutable_calendar();
  calendar->set_always_open(policy.calendar.always_open);
  calendar->set_time_zone(policy.calendar.time_zone);
  for (bool day : policy.calendar.working_days) calendar->add_working_days(day);
  calendar->set_from_minute(policy.calendar.from_minute);
  calendar->set_to_minute(policy.calendar.to_minute);
  for (std::int32_t day : policy.calendar.holidays) calendar->add_holidays(day);
  for (TicketStatus status : kAllStatuses)
    if (policy.pause_on[IndexOf(status)]) p->add_pause_on(static_cast<v1::TicketStatus>(status));
  p->set_raise_priority(policy.escalate.raise_priority);
  for (SlaNotify notify : policy.escalate.notify) p->add_notify(static_cast<v1::SlaNotify>(notify));
}

bool DecodePolicy(const v1::SlaPolicyValue& p, SlaPolicy* policy) {
  bool ok = ParseId(p.policy_id(), &policy->policy_id);
  policy->name = p.name();
  policy->order = p.order();
  for (int v : p.applies_priority()) ok = ok && EnumIn(v, kAllPriorities.size(), &policy->applies_to.priority.emplace_back());
  for (int v : p.applies_type()) ok = ok && EnumIn(v, kAllTypes.size(), &policy->applies_to.type.emplace_back());
  for (const std::string& id : p.applies_group_id()) ok = ok && ParseId(id, &policy->applies_to.group_id.emplace_back());
  policy->first_response = p.first_response_us();
  policy->resolution = p.resolution_us();
  const v1::SlaCalendar& calendar = p.calendar();
  policy->calendar.always_open = calendar.always_open();
  policy->calendar.time_zone = calendar.time_zone();
  ok = ok && calendar.working_days_size() == 7;
  for (int i = 0; ok && i < 7; ++i) policy->calendar.working_days[static_cast<std::size_t>(i)] = calendar.working_days(i);
  policy->calendar.from_minute = calendar.from_minute();
  policy->calendar.to_minute = calendar.to_minute();
  policy->calendar.holidays.assign(calendar.holidays().begin(), calendar.holidays().end());
  policy->pause_on = {};
  for (int v : p.pause_on()) {
    TicketStatus status{};
    ok = ok && EnumIn(v, kAllStatuses.size(), &status);
    if (ok) policy->pause_on[IndexOf(status)] = true;
  }
  policy->escalate.raise_priority = p.raise_priority();
  for (int v : p.notify()) ok = ok && EnumIn(v, kAllSlaNotify.size(), &policy->escalate.notify.emplace_back());
  return ok;
}

}  // namespace

void EncodeSlaPayload(const SlaDirectoryEvent& event, v1::EventEnvelope* env) {
  std::visit(Overloaded{
                 [&](const SlaPolicySaved& e) { EncodePolicy(e.policy, env->mutable_sla_policy_saved()->mutable_policy()); },
                 [&](const SlaPolicyDeleted& e) { env->mutable_sla_policy_deleted()->set_policy_id(IdText(e.policy_id)); },
                 [&](const AutoCloseChanged& e) {
                   auto* p = env->mutable_auto_close_changed();
                   if (e.after) p->set_after_us(*e.after);
                 },
             },
             event);
}

void EncodeSlaPayload(const SlaTicketEvent& event, v1::EventEnvelope* env) {
  std::visit(Overloaded{
                 [&](const SlaBreached& e) {
                   auto* p = env->mutable_sla_breached();
                   p->set_target(static_cast<v1::SlaTarget>(e.target));
                   p->set_due_at_us(e.due_at);
                 },
                 [&](const SlaEscalated& e) {
                   auto* p = env->mutable_sla_escalated();
                   p->set_target(static_cast<v1::SlaTarget>(e.target));
                   if (e.raised_to) p->set_raised_to(static_cast<v1::Priority>(*e.raised_to));
                   for (SlaNotify notify : e.notify) p->add_notify(static_cast<v1::SlaNotify>(notify));
                 },
             },
             event);
}

Status DecodeSlaPayload(const v1::EventEnvelope& env, EventPayload* payload) {
  bool ok = true;
  switch (env.payload_case()) {
    case v1::EventEnvelope::kSlaPolicySaved: {
      SlaPolicySaved e;
      ok = DecodePolicy(env.sla_policy_saved().policy(), &e.policy);
      *payload = SlaDirectoryEvent{std::move(e)};
      break;
    }
    case v1::EventEnvelope::kSlaPolicyDeleted: {
      SlaPolicyDeleted e;
      ok = ParseId(env.sla_policy_deleted().policy_id(), &e.policy_id);
      *payload = SlaDirectoryEvent{e};
      break;
    }
    case v1::EventEnvelope::kAutoCloseChanged: {
      AutoCloseChanged e;
      if (env.auto_close_changed().has_after_us()) e.after = env.auto_close_changed().after_us();
      *payload = SlaDirectoryEvent{e};
      break;
    }
    case v1::EventEnvelope::kSlaBreached: {
      SlaBreached e;
      ok = EnumIn(env.sla_breached().target(), kAllSlaTargets.size(), &e.target);
      e.due_at = env.sla_breached().due_at_us();
      *payload = SlaTicketEvent{e};
      break;
    }
    case v1::EventEnvelope::kSlaEscalated: {
      const auto& p = env.sla_escalated();
      SlaEscalated e;
      ok = EnumIn(p.target(), kAllSlaTargets.size(), &e.target);
      if (p.has_raised_to()) ok = ok && EnumIn(p.raised_to(), kAllPriorities.size(), &e.raised_to.emplace());
      for (int v : p.notify()) ok = ok && EnumIn(v, kAllSlaNotify.size(), &e.notify.emplace_back());
      *payload = SlaTicketEvent{std::move(e)};
      break;
    }
    default:
      return Status::Corruption("not an SLA payload");
  }
  if (!ok) return Status::Corruption("SLA event payload has a malformed id or enum value");
  return Status::Ok();
}

}  // namespace ticketd::eventstore

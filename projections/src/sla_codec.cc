#include "ticketd/projections/sla_codec.h"

namespace ticketd::projections {
namespace {

using namespace ticketd::domain;

template <class List>
void EnumList(BinaryWriter& out, const List& values) {
  out.U64(values.size());
  for (auto value : values) out.U64(static_cast<std::uint64_t>(value));
}

template <class Enum>
bool EnumList(BinaryReader& in, std::size_t limit, std::vector<Enum>* values) {
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  values->resize(count);
  for (Enum& value : *values)
    if (!in.EnumBelow(static_cast<int>(limit), &value)) return false;
  return true;
}

bool TargetList(BinaryReader& in, SlaTargetList* targets) {
  std::vector<SlaTarget> read;
  if (!EnumList(in, kAllSlaTargets.size(), &read)) return false;
  *targets = {};
  for (SlaTarget target : read) targets->push_back(target);
  return true;
}

// The wire format of std::optional<int64> (unchanged snapshots).
bool OptionalTime(BinaryReader& in, OptionalTimestamp* value) {
  std::optional<std::int64_t> read;
  if (!in.OptionalI64(&read)) return false;
  *value = read;
  return true;
}

void Policy(BinaryWriter& out, const SlaPolicy& p) {
  out.Id(p.policy_id);
  out.Bytes(p.name);
  out.I64(p.order);
  EnumList(out, p.applies_to.priority);
  EnumList(out, p.applies_to.type);
  out.U64(p.applies_to.group_id.size());
  for (const Id& id : p.applies_to.group_id) out.Id(id);
  out.I64(p.first_response);
  out.I64(p.resolution);
  out.Bool(p.calendar.always_open);
  out.Bytes(p.calendar.time_zone);
  for (bool day : p.calendar.working_days) out.Bool(day);
  out.I64(p.calendar.from_minute);
  out.I64(p.calendar.to_minute);
  out.U64(p.calendar.holidays.size());
  for (std::int32_t day : p.calendar.holidays) out.I64(day);
  for (bool paused : p.pause_on) out.Bool(paused);
  out.Bool(p.escalate.raise_priority);
  EnumList(out, p.escalate.notify);
}

bool Policy(BinaryReader& in, SlaPolicy* p) {
  std::size_t groups = 0, holidays = 0;
  std::int64_t from = 0, to = 0;
  if (!(in.Id(&p->policy_id) && in.Bytes(&p->name) && in.I64(&p->order) &&
        EnumList(in, kAllPriorities.size(), &p->applies_to.priority) &&
        EnumList(in, kAllTypes.size(), &p->applies_to.type) && in.Count(&groups)))
    return false;
  p->applies_to.group_id.resize(groups);
  for (Id& id : p->applies_to.group_id)
    if (!in.Id(&id)) return false;
  if (!(in.I64(&p->first_response) && in.I64(&p->resolution) && in.Bool(&p->calendar.always_open) &&
        in.Bytes(&p->calendar.time_zone)))
    return false;
  for (bool& day : p->calendar.working_days)
    if (!in.Bool(&day)) return false;
  if (!(in.I64(&from) && in.I64(&to) && in.Count(&holidays))) return false;
  p->calendar.from_minute = static_cast<int>(from);
  p->calendar.to_minute = static_cast<int>(to);
  p->calendar.holidays.resize(holidays);
  for (std::int32_t& day : p->calendar.holidays) {
    std::int64_t value = 0;
    if (!in.I64(&value)) return false;
    day = static_cast<std::int32_t>(value);
  }
  for (bool& paused : p->pause_on)
    if (!in.Bool(&paused)) return false;
  return in.Bool(&p->escalate.raise_priority) && EnumList(in, kAllSlaNotify.size(), &p->escalate.notify);
}

}  // namespace

void EncodeSlaSettings(BinaryWriter& out, const SlaSettings& settings) {
  out.U64(settings.policies.size());
  for (const SlaPolicy& policy : settings.policies) Policy(out, policy);
  out.OptionalI64(settings.auto_close_after);
}

bool DecodeSlaSettings(BinaryReader& in, SlaSettings* settings) {
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  settings->policies.resize(count);
  for (SlaPolicy& policy : settings->policies)
    if (!Policy(in, &policy)) return false;
  return in.OptionalI64(&settings->auto_close_after);
}

void EncodeTicketSla(BinaryWriter& out, const Ticket& t) {
  const SlaHistory& h = t.sla_history;
  // The history's start: the ticket's created_at, written again here so the
  // snapshot bytes stay those of the layout that held a copy of it.
  out.I64(t.created_at);
  out.U64(h.changes.size());
  for (const SlaStatusChange& change : h.changes) {
    out.I64(change.at);
    out.U64(static_cast<std::uint64_t>(change.to));
  }
  out.OptionalI64(h.first_staff_comment_at);
  out.Bool(t.sla.has_value());
  if (!t.sla) return;
  out.Id(t.sla->policy_id);
  const SlaClock& c = t.sla->clock;
  out.OptionalI64(c.first_response_due_at);
  out.OptionalI64(c.first_responded_at);
  out.OptionalI64(c.resolution_due_at);
  out.OptionalI64(c.resolved_at);
  out.Bool(c.paused);
  EnumList(out, t.sla->breached);
}

bool DecodeTicketSla(BinaryReader& in, Ticket* t) {
  SlaHistory& h = t->sla_history;
  std::size_t changes = 0;
  std::int64_t created_at = 0;  // a copy of Ticket::created_at (see EncodeTicketSla)
  if (!(in.I64(&created_at) && in.Count(&changes))) return false;
  h.changes.resize(changes);
  for (SlaStatusChange& change : h.changes)
    if (!(in.I64(&change.at) && in.DomainEnum(&change.to))) return false;
  bool has_sla = false;
  if (!(OptionalTime(in, &h.first_staff_comment_at) && in.Bool(&has_sla))) return false;
  if (!has_sla) {
    t->sla.reset();
    return true;
  }
  TicketSla& sla = t->sla.emplace();
  SlaClock& c = sla.clock;
  return in.Id(&sla.policy_id) && OptionalTime(in, &c.first_response_due_at) &&
         OptionalTime(in, &c.first_responded_at) && OptionalTime(in, &c.resolution_due_at) &&
         OptionalTime(in, &c.resolved_at) && in.Bool(&c.paused) && TargetList(in, &sla.breached);
}

}  // namespace ticketd::projections

#include <algorithm>
#include <cstdio>

#include "ticketd/domain/iso_duration.h"
#include "ticketd/domain/status_facts.h"
#include "ticketd/projections/views.h"

#include "ticketd/domain/overloaded.h"
#include "ticketd/domain/time.h"

namespace ticketd::projections {
void WriteOptionalId(JsonWriter& json, const std::optional<domain::Id>& id) {
  if (id) {
    json.String(id->ToString());
  } else {
    json.Null();
  }
}

void WriteOptionalTime(JsonWriter& json, const std::optional<domain::Timestamp>& t) {
  if (t) {
    json.String(domain::FormatRfc3339(*t));
  } else {
    json.Null();
  }
}

void WriteTicketSla(JsonWriter& json, const std::optional<domain::TicketSla>& sla) {
  if (!sla) {
    json.Null();
    return;
  }
  json.BeginObject().Key("policy_id").String(sla->policy_id.ToString());
  json.Key("first_response_due_at");
  WriteOptionalTime(json, sla->clock.first_response_due_at);
  json.Key("first_responded_at");
  WriteOptionalTime(json, sla->clock.first_responded_at);
  json.Key("resolution_due_at");
  WriteOptionalTime(json, sla->clock.resolution_due_at);
  json.Key("resolved_at");
  WriteOptionalTime(json, sla->clock.resolved_at);
  json.Key("paused").Bool(sla->clock.paused);
  json.Key("breached").BeginArray();
  for (domain::SlaTarget target : domain::kAllSlaTargets)  // in a fixed order
    if (std::find(sla->breached.begin(), sla->breached.end(), target) != sla->breached.end())
      json.String(domain::ToString(target));
  json.EndArray().EndObject();
}

void WriteSlaPolicy(JsonWriter& json, const domain::SlaPolicy& p) {
  json.BeginObject().Key("id").String(p.policy_id.ToString());
  json.Key("name").String(p.name);
  json.Key("order").Int(p.order);
  json.Key("applies_to").BeginObject();
  if (!p.applies_to.priority.empty()) {
    json.Key("priority").BeginArray();
    for (domain::Priority v : p.applies_to.priority) json.String(domain::ToString(v));
    json.EndArray();
  }
  if (!p.applies_to.type.empty()) {
    json.Key("type").BeginArray();
    for (domain::TicketType v : p.applies_to.type) json.String(domain::ToString(v));
    json.EndArray();
  }
  if (!p.applies_to.group_id.empty()) {
    json.Key("group_id").BeginArray();
    for (const domain::Id& v : p.applies_to.group_id) json.String(v.ToString());
    json.EndArray();
  }
  json.EndObject();
  json.Key("first_response").String(domain::FormatIsoDuration(p.first_response));
  json.Key("resolution").String(domain::FormatIsoDuration(p.resolution));
  json.Key("calendar");
  if (p.calendar.always_open) {
    json.String("24x7");
  } else {
    static constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    auto hhmm = [](int minutes) {
      char text[8];
      std::snprintf(text, sizeof text, "%02d:%02d", minutes / 60, minutes % 60);
      return std::string(text);
    };
    json.BeginObject().Key("timezone").String(p.calendar.time_zone);
    json.Key("days").BeginArray();
    for (std::size_t d = 0; d < 7; ++d)
      if (p.calendar.working_days[d]) json.String(kDays[d]);
    json.EndArray();
    json.Key("from").String(hhmm(p.calendar.from_minute));
    json.Key("to").String(hhmm(p.calendar.to_minute));
    json.Key("holidays").BeginArray();
    for (std::int32_t day : p.calendar.holidays) json.String(domain::FormatDate(day * domain::kMicrosPerDay));
    json.EndArray().EndObject();
  }
  json.Key("pause_on").BeginArray();
  for (domain::TicketStatus s : domain::kAllStatuses)
    if (p.pause_on[domain::IndexOf(s)]) json.String(domain::ToString(s));
  json.EndArray();
  json.Key("escalate").BeginObject().Key("raise_priority").Bool(p.escalate.raise_priority);
  json.Key("notify").BeginArray();
  for (domain::SlaNotify n : p.escalate.notify) json.String(domain::ToString(n));
  json.EndArray().EndObject();
  json.EndObject();
}

void WriteTicket(JsonWriter& json, const domain::Ticket& t, bool sees_internal) {
  json.BeginObject();
  json.Key("id").String(t.id.ToString());
  json.Key("number").String(t.number_text);
  json.Key("subject").String(t.subject);
  json.Key("description").String(t.description);
  json.Key("priority").String(domain::ToString(t.priority));
  json.Key("status").String(domain::ToString(t.status));
  json.Key("type").String(domain::ToString(t.type));
  json.Key("category");
  if (t.category.empty()) {
    json.Null();
  } else {
    json.String(t.category);
  }
  json.Key("reporter_id").String(t.reporter_id.ToString());
  json.Key("assignee_id");
  WriteOptionalId(json, t.assignee_id);
  json.Key("asset_id");
  WriteOptionalId(json, t.asset_id);
  json.Key("due_at");
  if (t.due_at) {
    json.String(domain::FormatRfc3339(*t.due_at));
  } else {
    json.Null();
  }
  // >>> workflow: catalog, teams, reopen policy (issue 12, helper wf-catalog)
  json.Key("group_id");
  WriteOptionalId(json, t.group_id);
  json.Key("category_id");
  WriteOptionalId(json, t.category_id);
  json.Key("subcategory_id");
  WriteOptionalId(json, t.subcategory_id);
  // >>> workflow: SLA, timers, auto-close (issue 12, helper wf-sla)
  json.Key("sla");
  WriteTicketSla(json, t.sla);
  // >>> attachments (issue 13)
  json.Key("attachment_count").Int(sees_internal ? t.attachment_count : t.attachment_count - t.internal_attachment_count);
  // >>> mail out (issue 14, helper mail-out)
  json.Key("created_at").String(domain::FormatRfc3339(t.created_at));
  json.Key("updated_at").String(domain::FormatRfc3339(t.updated_at));
  json.Key("version").Int(t.version);
  json.EndObject();
}

std::string TicketJson(const domain::Ticket& ticket, bool sees_internal) {
  JsonWriter json;
  WriteTicket(json, ticket, sees_internal);
  return json.Take();
}

void WriteComment(JsonWriter& json, const Comment& c) {
  json.BeginObject();
  json.Key("id").String(c.id.ToString());
  json.Key("author_id").String(c.author_id.ToString());
  json.Key("body").String(c.body);
  json.Key("internal").Bool(c.internal);
  json.Key("created_at").String(domain::FormatRfc3339(c.created_at));
  json.EndObject();
}

void WriteUser(JsonWriter& json, const domain::User& u) {
  json.BeginObject();
  json.Key("id").String(u.id.ToString());
  json.Key("name").String(u.name);
  json.Key("email").String(u.email);
  json.Key("role").String(domain::ToString(u.role));
  json.Key("department");
  if (u.department.empty()) {
    json.Null();
  } else {
    json.String(u.department);
  }
  json.Key("active").Bool(u.active);
  json.EndObject();
}

void WriteAsset(JsonWriter& json, const domain::Asset& a) {
  json.BeginObject();
  json.Key("id").String(a.id.ToString());
  json.Key("name").String(a.name);
  json.Key("kind");
  if (a.kind.empty()) {
    json.Null();
  } else {
    json.String(a.kind);
  }
  json.EndObject();
}

void WriteTenant(JsonWriter& json, const TenantInfo& t) {
  json.BeginObject();
  json.Key("id").String(t.id.ToString());
  json.Key("name").String(t.name);
  json.Key("ticket_prefix").String(t.ticket_prefix);
  json.Key("slug");
  if (t.slug.empty()) {
    json.Null();
  } else {
    json.String(t.slug);
  }
  json.EndObject();
}

void WriteHistoryValue(JsonWriter& json, const domain::HistoryValue& value) {
  std::visit(Overloaded{
                 [&](std::nullptr_t) { json.Null(); },
                 [&](const std::string& s) { json.String(s); },
                 [&](bool b) { json.Bool(b); },
                 [&](std::int64_t i) { json.Int(i); },
             },
             value);
}

void WriteHistoryEntry(JsonWriter& json, const eventstore::RecordedEvent& recorded,
                       const std::vector<domain::FieldChange>& changes) {
  json.BeginObject();
  json.Key("position").Int(static_cast<std::int64_t>(recorded.position));
  json.Key("version").Int(recorded.version);
  json.Key("type").String(domain::EventTypeName(recorded.event.payload));
  json.Key("event_id").String(recorded.event_id.ToString());
  json.Key("actor_id");
  WriteOptionalId(json,
                  recorded.event.actor_id.IsNil() ? std::nullopt : std::optional(recorded.event.actor_id));
  json.Key("at").String(domain::FormatRfc3339(recorded.event.at));
  json.Key("changes").BeginObject();
  for (const auto& change : changes) {
    json.Key(change.field).BeginObject().Key("from");
    WriteHistoryValue(json, change.from);
    json.Key("to");
    WriteHistoryValue(json, change.to);
    json.EndObject();
  }
  json.EndObject();
  json.Key("details").BeginObject();  // workflow (issue 12): event-specific data, {} when none
  for (const auto& detail : domain::DetailsOf(recorded.event)) {
    json.Key(detail.key);
    WriteHistoryValue(json, detail.value);
  }
  json.EndObject().EndObject();
}

}  // namespace ticketd::projections

// Reports: the morning digest, analytics and the audit head.
#include <cmath>

#include "ticketd/app/engine.h"
#include "handler_support.h"
#include "handlers.h"
#include "ticketd/domain/time.h"
#include "ticketd/projections/json_writer.h"
#include "ticketd/projections/sla_attainment.h"

namespace ticketd::api {
namespace {



void WriteDurations(JsonWriter& json, const projections::DurationSummary& d) {
  json.BeginObject();
  json.Key("count").Int(d.count);
  for (auto [name, value] : {std::pair{"mean", d.mean}, {"p50", d.p50}, {"p90", d.p90}}) {
    json.Key(name);
    if (d.count == 0) {
      json.Null();
    } else {
      json.Double(value);
    }
  }
  json.EndObject();
}

void WriteDays(JsonWriter& json, const std::vector<projections::DayCount>& days) {
  json.BeginArray();
  for (const auto& day : days)
    json.BeginObject()
        .Key("date")
        .String(domain::FormatDate(day.day))
        .Key("count")
        .Int(day.count)
        .EndObject();
  json.EndArray();
}

// `sla_attainment: {low: {met, breached, percent}, ...}`; percent null
// while no ticket of that priority has met or missed its SLA.
void WriteSlaAttainment(JsonWriter& json, const std::array<projections::SlaAttainment, domain::kPriorityCount>& by) {
  json.Key("sla_attainment").BeginObject();
  for (auto priority : domain::kAllPriorities) {
    const projections::SlaAttainment& a = by[static_cast<std::size_t>(priority)];
    json.Key(domain::ToString(priority)).BeginObject().Key("met").Int(a.met).Key("breached").Int(a.breached);
    json.Key("percent");
    if (a.met + a.breached == 0) {
      json.Null();
    } else {
      json.Double(std::round(1000.0 * static_cast<double>(a.met) / static_cast<double>(a.met + a.breached)) / 10.0);
    }
    json.EndObject();
  }
  json.EndObject();
}

}  // namespace

void HandleDigest(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kReportsRead)) return;
  domain::Timestamp day = call->now / domain::kMicrosPerDay * domain::kMicrosPerDay;
  if (std::optional<std::string> date = ValueOf(call->target, "date")) {
    std::optional<domain::Timestamp> parsed = domain::ParseDate(*date);
    if (!parsed) return call->Reply(ValidationError("date", "must be a date YYYY-MM-DD"));
    day = *parsed;
  }
  projections::Digest digest = services.engine.digest().Build(call->actor.tenant_id, day);
  JsonWriter json;
  json.BeginObject().Key("date").String(domain::FormatDate(day)).Key("skipped").Bool(digest.skipped);
  json.Key("groups").BeginArray();
  for (const auto& group : digest.groups) {
    json.BeginObject().Key("priority").String(domain::ToString(group.priority)).Key("tickets").BeginArray();
    for (const auto& entry : group.tickets) {
      const domain::Ticket& t = *entry.ticket;
      json.BeginObject();
      json.Key("id").String(t.id.ToString()).Key("number").String(t.number_text);
      json.Key("subject").String(t.subject).Key("status").String(domain::ToString(t.status));
      json.Key("assignee_id");
      if (t.assignee_id) {
        json.String(t.assignee_id->ToString());
      } else {
        json.Null();
      }
      json.Key("due_at");
      WriteOptionalTime(json, t.due_at);
      json.Key("overdue").Bool(entry.overdue);
      json.Key("sla_breached").Bool(t.sla && !t.sla->breached.empty()).EndObject();  // workflow (issue 12)
    }
    json.EndArray().EndObject();
  }
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleAnalytics(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kReportsRead)) return;
  projections::Analytics a =
      services.engine.analytics().Snapshot(call->actor.tenant_id, call->now, services.engine.stale_after());
  JsonWriter json;
  json.BeginObject().Key("by_status").BeginObject();
  for (auto status : domain::kAllStatuses)
    json.Key(domain::ToString(status)).Int(a.by_status[domain::IndexOf(status)]);
  json.EndObject().Key("open_by_priority").BeginObject();
  for (auto priority : domain::kAllPriorities)
    json.Key(domain::ToString(priority)).Int(a.open_by_priority[domain::IndexOf(priority)]);
  json.EndObject().Key("per_assignee").BeginArray();
  for (const auto& load : a.per_assignee) {
    json.BeginObject().Key("assignee_id").String(load.assignee_id.ToString());
    json.Key("open").Int(load.open).Key("in_progress").Int(load.in_progress);
    json.Key("resolved").Int(load.resolved).Key("closed").Int(load.closed).EndObject();
  }
  json.EndArray().Key("time_to_resolve_hours");
  WriteDurations(json, a.time_to_resolve);
  json.Key("time_to_close_hours");
  WriteDurations(json, a.time_to_close);
  json.Key("created_per_day");
  WriteDays(json, a.created_per_day);
  json.Key("closed_per_day");
  WriteDays(json, a.closed_per_day);
  json.Key("top_categories").BeginArray();
  for (const auto& c : a.top_categories)
    json.BeginObject().Key("category").String(c.category).Key("count").Int(c.count).EndObject();
  json.EndArray().Key("stale_in_progress").BeginArray();
  for (const auto& s : a.stale_in_progress) {
    json.BeginObject().Key("id").String(s.id.ToString()).Key("number").String(s.number);
    json.Key("since").String(domain::FormatRfc3339(s.since)).EndObject();
  }
  json.EndArray();
  WriteSlaAttainment(json, projections::SlaAttainmentByPriority(services.engine.tickets(), call->actor.tenant_id));
  json.EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleAuditHead(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::kTenantAdministration)) return;
  // Position and hash are read as one pair: the hash belongs to that position.
  std::uint64_t position = 0;
  eventstore::Hash hash{};
  services.engine.log().Head(&position, &hash);
  JsonWriter json;
  json.BeginObject().Key("position").Int(static_cast<std::int64_t>(position));
  json.Key("hash").String(eventstore::HashToHex(hash)).EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

}  // namespace ticketd::api

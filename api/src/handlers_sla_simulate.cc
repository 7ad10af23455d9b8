// POST /api/v1/sla-policies/simulate (WORKFLOW.md): the tickets created in
// [from, to) replayed under a candidate policy that comes first by order,
// compared with what happened. Read-only. The tickets are taken from the
// read model (each carries its compact SLA history) in one pass under the
// tenant's shared lock; the clocks run on the engine's slow-read thread,
// never on an HTTP thread, and at most kMaxSimulations wait at once.
#include <atomic>

#include "handler_support.h"
#include "handlers.h"
#include "sla_policy_reader.h"
#include "ticketd/app/time_zones.h"
#include "ticketd/domain/sla_simulation.h"

namespace ticketd::api {
namespace {

constexpr int kMaxSimulations = 4;
std::atomic<int> simulations_in_flight{0};

void WriteTargets(JsonWriter& json, const std::vector<domain::SlaTarget>& targets) {
  json.BeginArray();
  for (domain::SlaTarget target : targets) json.String(domain::ToString(target));
  json.EndArray();
}

std::string SimulationJson(const domain::SlaSimulation& result) {
  JsonWriter json;
  json.BeginObject();
  json.Key("tickets").Int(static_cast<std::int64_t>(result.tickets));
  json.Key("breached_now").Int(static_cast<std::int64_t>(result.breached_now));
  json.Key("would_breach").Int(static_cast<std::int64_t>(result.would_breach));
  json.Key("changed").BeginArray();
  for (const domain::SlaSimulationChange& change : result.changed) {
    json.BeginObject().Key("id").String(change.ticket_id.ToString()).Key("number").String(change.number_text);
    json.Key("before");
    WriteTargets(json, change.before);
    json.Key("after");
    WriteTargets(json, change.after);
    json.EndObject();
  }
  json.EndArray().EndObject();
  return json.Take();
}

// A required RFC 3339 time; replies 400 naming `field` and returns nullopt.
std::optional<domain::Timestamp> RequiredTime(const CallPtr& call, const JsonBody& body, std::string_view field) {
  FieldReader fields(body);
  std::optional<std::optional<domain::Timestamp>> time = fields.NullableTime(field);
  if (fields.error) {
    call->Reply(std::move(*fields.error));
    return std::nullopt;
  }
  if (!time || !*time) {
    call->Reply(ValidationError(field, "is required: an RFC 3339 date-time"));
    return std::nullopt;
  }
  return **time;
}

}  // namespace

void HandleSimulateSlaPolicy(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!domain::Can(call->actor, domain::Permission::kSettingsManage))
    return call->Reply(Forbidden("SLA policies need settings:manage"));
  auto body = ReadBody(call, {"policy", "from", "to"});
  if (!body) return;
  auto object = body->GetObject("policy");
  if (auto* error = std::get_if<FieldError>(&object))
    return call->Reply(ValidationError("policy", error->message));
  std::optional<JsonBody> policy_body = std::get<std::optional<JsonBody>>(std::move(object));
  if (!policy_body) return call->Reply(ValidationError("policy", "is required: an SLA policy object"));
  domain::SlaPolicy candidate;
  if (!ReadCandidatePolicy(call, *policy_body, &candidate)) return;
  std::optional<domain::Timestamp> from = RequiredTime(call, *body, "from");
  if (!from) return;
  std::optional<domain::Timestamp> to = RequiredTime(call, *body, "to");
  if (!to) return;
  if (*from >= *to) return call->Reply(ValidationError("to", "must be later than from"));

  if (simulations_in_flight.fetch_add(1) >= kMaxSimulations) {
    simulations_in_flight.fetch_sub(1);
    return call->Reply(FromStatus(Status::Unavailable("too many SLA simulations at once; retry shortly")));
  }
  auto job = [&services, call, candidate = std::move(candidate), from = *from, to = *to] {
    std::vector<projections::TicketPtr> tickets = services.engine.tickets().CreatedIn(call->actor.tenant_id, from, to);
    std::sort(tickets.begin(), tickets.end(), [](const auto& a, const auto& b) { return a->number < b->number; });
    const domain::ZoneClock& zone = app::ZoneClockFor(candidate.calendar.time_zone);
    domain::SlaSimulation result;
    for (const projections::TicketPtr& ticket : tickets) domain::SimulateTicket(candidate, zone, *ticket, call->now, &result);
    simulations_in_flight.fetch_sub(1);
    call->Reply(JsonResponse(http::status::ok, SimulationJson(result)));
  };
  if (!services.engine.PostSlowRead(job)) {
    simulations_in_flight.fetch_sub(1);
    call->Reply(FromStatus(Status::Unavailable("shutting down")));
  }
}

}  // namespace ticketd::api

// Ticket reads: one ticket (also as of an instant), the list/queue, comments
// and the history. Served from the read models, except as_of and history,
// which fold the ticket's stream from the log.
#include "ticketd/app/engine.h"
#include "handler_support.h"
#include "handlers.h"
#include "list_query.h"
#include "ticketd/domain/history.h"
#include "ticketd/domain/time.h"
#include "ticketd/projections/views.h"

namespace ticketd::api {
namespace {

// The live ticket if the caller may read it; replies 404 otherwise.
projections::TicketPtr ReadableTicket(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return nullptr;
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return nullptr;
  projections::TicketPtr ticket = services.engine.tickets().Get(call->actor.tenant_id, *ticket_id);
  if (!ticket || !domain::CanReadTicket(call->actor, *ticket)) {
    call->Reply(NotFound("no such ticket"));
    return nullptr;
  }
  return ticket;
}

}  // namespace

void HandleGetTicket(Services& services, const CallPtr& call) {
  projections::TicketPtr ticket = ReadableTicket(services, call);
  if (!ticket) return;
  std::optional<std::string> as_of_text = ValueOf(call->target, "as_of");
  if (!as_of_text) return call->Reply(TicketResponse(http::status::ok, *ticket, call->actor));
  std::optional<domain::Timestamp> as_of = domain::ParseRfc3339(*as_of_text);
  if (!as_of) return call->Reply(ValidationError("as_of", "must be an RFC 3339 date-time"));
  std::vector<eventstore::RecordedEvent> events;
  Status s = services.engine.log().ReadStream({ticket->tenant_id, ticket->id}, &events);
  if (!s.ok()) return call->Reply(FromStatus(s));
  domain::TicketState state = domain::InitialTicketState();
  for (const auto& recorded : events) {
    if (recorded.event.at > domain::EndOfMillisecond(*as_of)) break;
    state = domain::EvolveTicket(std::move(state), recorded.event);
  }
  if (state.phase != domain::TicketState::Phase::kLive)
    return call->Reply(NotFound("the ticket did not exist then"));
  call->Reply(TicketResponse(http::status::ok, state.ticket, call->actor));
}

void HandleListTickets(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  projections::TicketQuery query;
  if (auto error = ParseListQuery(call->target, &query)) return call->Reply(std::move(*error));
  query.now = call->now;
  if (!RestrictToVisibleTickets(call->actor, &query)) {
    return call->Reply(JsonResponse(http::status::ok, R"({"items":[],"next_cursor":null,"total":0})"));
  }
  projections::TicketPage page;
  Status s = services.engine.tickets().Query(call->actor.tenant_id, query, &page);
  if (!s.ok()) return call->Reply(ValidationError("cursor", "is not a cursor of this listing"));
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  const bool sees_internal = domain::CanSeeInternalComments(call->actor);
  for (const auto& ticket : page.items) WriteTicket(json, *ticket, sees_internal);
  json.EndArray().Key("next_cursor");
  if (page.next_cursor.empty()) {
    json.Null();
  } else {
    json.String(page.next_cursor);
  }
  json.Key("total").Int(static_cast<std::int64_t>(page.total)).EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleListComments(Services& services, const CallPtr& call) {
  projections::TicketPtr ticket = ReadableTicket(services, call);
  if (!ticket) return;
  bool internal = domain::CanSeeInternalComments(call->actor);
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const auto& comment : services.engine.comments().List(ticket->tenant_id, ticket->id, internal))
    WriteComment(json, comment);
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleHistory(Services& services, const CallPtr& call) {
  projections::TicketPtr ticket = ReadableTicket(services, call);
  if (!ticket) return;
  std::vector<eventstore::RecordedEvent> events;
  Status s = services.engine.log().ReadStream({ticket->tenant_id, ticket->id}, &events);
  if (!s.ok()) return call->Reply(FromStatus(s));
  bool agent_side = domain::CanSeeInternalComments(call->actor);
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  domain::TicketState state = domain::InitialTicketState();
  std::int64_t shown = 0;
  for (auto& recorded : events) {
    std::vector<domain::FieldChange> changes = domain::ChangesOf(state, recorded.event);
    state = domain::EvolveTicket(std::move(state), recorded.event);
    if (!agent_side && domain::IsAgentOnly(recorded.event)) continue;
    // Versions as the caller sees the ticket: a reporter's history counts
    // only the events it shows, so no gap tells that internal ones exist
    // (docs/api-decisions.md).
    if (!agent_side) recorded.version = ++shown;
    WriteHistoryEntry(json, recorded, changes);
  }
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

}  // namespace ticketd::api

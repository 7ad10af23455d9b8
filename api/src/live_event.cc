#include "live_event.h"

#include <charconv>

#include "ticketd/domain/history.h"
#include "ticketd/domain/ticket.h"
#include "ticketd/domain/time.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::api {

std::optional<LiveEvent> ToLiveEvent(std::uint64_t position, const domain::DomainEvent& event) {
  if (!domain::IsTicketEvent(event.payload)) return std::nullopt;
  return LiveEvent{.position = position,
                   .type = domain::EventTypeName(event.payload),
                   .tenant_id = event.tenant_id,
                   .ticket_id = event.stream_id,
                   .at = event.at,
                   .agent_only = domain::IsAgentOnly(event)};
}

bool MayReceive(const domain::Actor& actor, const domain::Ticket& ticket, const LiveEvent& event) {
  if (actor.IsPlatformAdmin() || actor.tenant_id != event.tenant_id || ticket.tenant_id != event.tenant_id)
    return false;
  if (!domain::CanReadTicket(actor, ticket)) return false;
  return !event.agent_only || domain::CanSeeInternalComments(actor);
}

std::string FrameLiveEvent(const LiveEvent& event, std::string_view number) {
  projections::JsonWriter json;
  json.BeginObject()
      .Key("position")
      .Int(static_cast<std::int64_t>(event.position))
      .Key("type")
      .String(event.type)
      .Key("ticket_id")
      .String(event.ticket_id.ToString())
      .Key("number")
      .String(number)
      .Key("at")
      .String(domain::FormatRfc3339(event.at))
      .EndObject();
  std::string frame = "id: ";
  frame += std::to_string(event.position);
  frame += "\nevent: ";
  frame += event.type;
  frame += "\ndata: ";
  frame += json.Take();  // JSON text: no raw newline can end the data line early
  frame += "\n\n";
  return frame;
}

std::string FrameStreamStart(std::uint64_t position, int retry_ms) {
  return "retry: " + std::to_string(retry_ms) + "\nid: " + std::to_string(position) + "\n\n";
}

std::optional<std::uint64_t> ParseLastEventId(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace ticketd::api

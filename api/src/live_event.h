// Live events: what GET /api/v1/stream tells a client about a committed
// ticket event, its server-sent-events framing, and who may receive it.
// Pure functions over the log's decoded records: no I/O, no clock, no
// personal text (ids, number, type and time only: a stream is a hint to
// refetch what the user may read, not a copy of it).
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/events.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/ticket_value.h"
#include "ticketd/domain/types.h"

namespace ticketd::api {

struct LiveEvent {
  std::uint64_t position = 0;
  std::string_view type;  // "ticket.updated" (EventTypeName: static storage)
  domain::Id tenant_id;
  domain::Id ticket_id;
  domain::Timestamp at = 0;
  bool agent_only = false;  // only readers who see internal comments get it
};

// The live event of a committed ticket event; nullopt for directory events.
std::optional<LiveEvent> ToLiveEvent(std::uint64_t position, const domain::DomainEvent& event);

// May `actor` receive `event` about `ticket` (the ticket as the read model
// has it now, or a deleted ticket's last snapshot)? The ticket read
// handlers' own rules: CanReadTicket, and internal comments only for those
// who see them (CanSeeInternalComments), as in a ticket's history.
bool MayReceive(const domain::Actor& actor, const domain::Ticket& ticket, const LiveEvent& event);

// "id: N\nevent: TYPE\ndata: {position,type,ticket_id,number,at}\n\n".
std::string FrameLiveEvent(const LiveEvent& event, std::string_view number);

// The SSE comment a heartbeat sends: ": ping\n\n".
inline constexpr std::string_view kPingFrame = ": ping\n\n";

// What a stream starts with: the client's reconnection delay and the
// position it stands at ("retry: MS\nid: N\n\n"). An event without data is
// not dispatched (HTML's SSE parsing rules), but its id sets the last event
// id, so a client that reconnects before any event arrives resumes exactly
// where it started instead of missing what happened in between.
std::string FrameStreamStart(std::uint64_t position, int retry_ms);

// Last-Event-ID / ?last_event_id=: a log position (decimal, no sign, no
// spaces, at most 19 digits); nullopt for anything else.
std::optional<std::uint64_t> ParseLastEventId(std::string_view text);

}  // namespace ticketd::api

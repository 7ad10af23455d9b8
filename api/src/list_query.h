// Parsing GET /api/v1/tickets query parameters into a TicketQuery, and the
// reporters-see-only-their-own rule. Any bytes are safe.
#pragma once

#include <optional>

#include "http_types.h"
#include "query_string.h"
#include "ticketd/domain/types.h"
#include "ticketd/projections/ticket_read_model.h"

namespace ticketd::api {

// nullopt on success; otherwise the 400 response naming the parameter.
std::optional<Response> ParseListQuery(const Target& target, projections::TicketQuery* query);

// Reporters (without agent rights) see only tickets they reported: narrows
// the query to them. Returns false when the query can match nothing.
bool RestrictToVisibleTickets(const domain::Actor& actor, projections::TicketQuery* query);

}  // namespace ticketd::api

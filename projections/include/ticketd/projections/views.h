// JSON views of tickets, comments, users, assets and tenants, exactly with
// the contract's field names. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "ticketd/domain/directory.h"
#include "ticketd/domain/history.h"
#include "ticketd/domain/ticket_value.h"
#include "ticketd/eventstore/event_log.h"
#include "ticketd/projections/comment_read_model.h"
#include "ticketd/projections/directory_read_model.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::projections {

// An id or an RFC 3339 time, or null.
void WriteOptionalId(JsonWriter& json, const std::optional<domain::Id>& id);
void WriteOptionalTime(JsonWriter& json, const std::optional<domain::Timestamp>& t);
// `sees_internal`: the viewer sees internal comments (domain::CanSeeInternalComments);
// a reporter's attachment_count leaves out the files of internal comments.
void WriteTicket(JsonWriter& json, const domain::Ticket& ticket, bool sees_internal);
// workflow (issue 12): null, or {policy_id, first_response_due_at,
// first_responded_at, resolution_due_at, resolved_at, paused, breached}.
void WriteTicketSla(JsonWriter& json, const std::optional<domain::TicketSla>& sla);
// An SLA policy as the /sla-policies routes show it.
void WriteSlaPolicy(JsonWriter& json, const domain::SlaPolicy& policy);
std::string TicketJson(const domain::Ticket& ticket, bool sees_internal);
void WriteComment(JsonWriter& json, const Comment& comment);
void WriteUser(JsonWriter& json, const domain::User& user);
void WriteAsset(JsonWriter& json, const domain::Asset& asset);
void WriteTenant(JsonWriter& json, const TenantInfo& tenant);
void WriteHistoryValue(JsonWriter& json, const domain::HistoryValue& value);
// One audit-trail entry: {position, version, type, event_id, actor_id, at,
// changes: {field: {from, to}}} (the API's history and ticket-replay's).
void WriteHistoryEntry(JsonWriter& json, const eventstore::RecordedEvent& recorded,
                       const std::vector<domain::FieldChange>& changes);

}  // namespace ticketd::projections

// JSON views of tickets, comments, users, assets and tenants, exactly with
// the contract's field names. Pure; thread-safe.
#pragma once

#include <string>

#include "json_writer.h"
#include "ticketd/domain/directory.h"
#include "ticketd/domain/history.h"
#include "ticketd/domain/ticket_value.h"
#include "ticketd/projections/comment_read_model.h"
#include "ticketd/projections/directory_read_model.h"

namespace ticketd::api {

void WriteTicket(JsonWriter& json, const domain::Ticket& ticket);
std::string TicketJson(const domain::Ticket& ticket);
void WriteComment(JsonWriter& json, const projections::Comment& comment);
void WriteUser(JsonWriter& json, const domain::User& user);
void WriteAsset(JsonWriter& json, const domain::Asset& asset);
void WriteTenant(JsonWriter& json, const projections::TenantInfo& tenant);
void WriteHistoryValue(JsonWriter& json, const domain::HistoryValue& value);

}  // namespace ticketd::api

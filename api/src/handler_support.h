// Helpers every handler uses: reading a JSON body field by field (the first
// problem becomes the 400 VALIDATION_ERROR naming the field), path ids,
// If-Match, and submitting a command whose answer is the ticket.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "call.h"
#include "ticketd/app/engine.h"
#include "ticketd/app/ids.h"
#include "ticketd/base/sha256.h"
#include "json_body.h"
#include "responses.h"
#include "ticketd/domain/ticket.h"
#include "ticketd/projections/json_writer.h"
#include "ticketd/projections/views.h"

namespace ticketd::api {

using app::CommandOutcome;
using app::NewBearerToken;
using app::RandomId;
using projections::JsonWriter;
using projections::TicketJson;
using projections::WriteAsset;
using projections::WriteComment;
using projections::WriteHistoryEntry;
using projections::WriteOptionalTime;
using projections::WriteTenant;
using projections::WriteTicket;
using projections::WriteUser;

// Reads typed fields; after the reads, `error` holds the first failure.
class FieldReader {
 public:
  explicit FieldReader(const JsonBody& body) : body_(body) {}

  std::optional<std::string> String(std::string_view field, bool required, std::size_t max_chars);
  std::optional<bool> Bool(std::string_view field);
  // Enums by wire name; `parse` returns nullopt for unknown names.
  template <class Enum>
  std::optional<Enum> EnumValue(std::string_view field, bool required,
                                std::optional<Enum> (*parse)(std::string_view));
  // An id that may be absent (outer nullopt) or null (inner nullopt).
  std::optional<std::optional<domain::Id>> NullableId(std::string_view field, bool required);
  // An RFC 3339 time that may be absent or null.
  std::optional<std::optional<domain::Timestamp>> NullableTime(std::string_view field);

  std::optional<Response> error;

 private:
  void Fail(std::string_view field, std::string_view message);
  const JsonBody& body_;
};

template <class Enum>
std::optional<Enum> FieldReader::EnumValue(std::string_view field, bool required,
                                           std::optional<Enum> (*parse)(std::string_view)) {
  std::optional<std::string> text = String(field, required, 64);
  if (!text) return std::nullopt;
  std::optional<Enum> value = parse(*text);
  if (!value) Fail(field, "is not one of the allowed values");
  return value;
}

// Parses the body, rejecting unknown fields; replies and returns nullopt on error.
std::optional<JsonBody> ReadBody(const CallPtr& call, std::initializer_list<std::string_view> allowed,
                                 bool allow_empty = false);
// The {} path segment `index` as an id; replies 404 and returns nullopt if malformed.
std::optional<domain::Id> PathId(const CallPtr& call, std::size_t index = 0);
// If-Match as a version: absent or "*" -> nullopt in *version; malformed -> replies 400, returns false.
bool ReadIfMatch(const CallPtr& call, std::optional<std::int64_t>* version);
// Replies 403 unless the caller is a user of a tenant (not the platform admin).
bool RequireTenantUser(const CallPtr& call);
// Replies 403 FORBIDDEN {details:{permission}} unless Can(actor, permission).
bool RequirePermission(const CallPtr& call, domain::Permission permission);

domain::CommandHeader MakeHeader(const CallPtr& call, const domain::Id& ticket_id);

// Submits a ticket command and replies with the ticket JSON (+ ETag) on success.
void SubmitTicketCommand(Services& services, const CallPtr& call, domain::TicketCommand command,
                         http::status success);
// Replies for a failed outcome (storage error or domain error); false if the outcome succeeded.
bool ReplyIfFailed(const CallPtr& call, const CommandOutcome& outcome);

// `viewer`: whose answer it is (a reporter's attachment_count leaves out internal files).
Response TicketResponse(http::status status, const domain::Ticket& ticket, const domain::Actor& viewer);

}  // namespace ticketd::api

// libFuzzer: request body bytes -> JsonBody -> the handlers' FieldReader
// reads of every command's fields (create, PATCH, status, assignment,
// comment), the same calls the handlers make. Whatever the bytes, the result
// is a parsed body or a 400 with a JSON body, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "handler_support.h"
#include "json_body.h"
#include "ticketd/domain/types.h"

namespace ticketd::api {
namespace {

void RequireErrorIsJson(const std::optional<Response>& error) {
  if (!error) return;
  if (error->result() != http::status::bad_request || error->body().rfind("{\"error\":", 0) != 0)
    __builtin_trap();  // a validation failure must be the contract's 400
}

void ReadCommandFields(const JsonBody& body) {
  FieldReader fields(body);
  fields.String("subject", true, 1 << 20);
  fields.String("description", false, 1 << 20);
  fields.EnumValue<domain::Priority>("priority", false, domain::ParsePriority);
  fields.EnumValue<domain::TicketType>("type", false, domain::ParseTicketType);
  fields.EnumValue<domain::TicketStatus>("status", false, domain::ParseStatus);
  if (!body.IsNull("category")) fields.String("category", false, 1 << 20);
  fields.NullableId("assignee_id", false);
  fields.NullableId("asset_id", false);
  fields.NullableTime("due_at");
  fields.Bool("internal");
  fields.String("body", false, 1 << 20);
  RequireErrorIsJson(fields.error);
  body.FirstUnknownKey({"subject", "description", "priority", "type", "category", "assignee_id", "asset_id",
                        "due_at", "status", "comment", "body", "internal"});
}

}  // namespace
}  // namespace ticketd::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ticketd::api;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool allow_empty : {false, true}) {
    auto parsed = JsonBody::Parse(text, allow_empty);
    if (auto* body = std::get_if<JsonBody>(&parsed)) ReadCommandFields(*body);
  }
  return 0;
}

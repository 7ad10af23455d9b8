#include "handler_support.h"

#include "handlers_attachments.h"

#include "ticketd/domain/time.h"
#include "ticketd/projections/views.h"

namespace ticketd::api {

void FieldReader::Fail(std::string_view field, std::string_view message) {
  if (!error) error = ValidationError(field, message);
}

std::optional<std::string> FieldReader::String(std::string_view field, bool required, std::size_t max_chars) {
  auto result = body_.GetString(field, required, max_chars);
  if (auto* failure = std::get_if<FieldError>(&result)) {
    Fail(failure->field.empty() ? field : std::string_view(failure->field), failure->message);
    return std::nullopt;
  }
  return std::get<std::optional<std::string>>(std::move(result));
}

std::optional<bool> FieldReader::Bool(std::string_view field) {
  auto result = body_.GetBool(field);
  if (auto* failure = std::get_if<FieldError>(&result)) {
    Fail(field, failure->message);
    return std::nullopt;
  }
  return std::get<std::optional<bool>>(result);
}

std::optional<std::optional<domain::Id>> FieldReader::NullableId(std::string_view field, bool required) {
  if (!body_.Has(field)) {
    if (required) Fail(field, "is required");
    return std::nullopt;
  }
  if (body_.IsNull(field)) return std::optional<domain::Id>{};
  std::optional<std::string> text = String(field, false, 64);
  if (!text) return std::nullopt;
  std::optional<domain::Id> id = domain::Id::Parse(*text);
  if (!id) {
    Fail(field, "must be a UUID");
    return std::nullopt;
  }
  return std::optional<domain::Id>{*id};
}

std::optional<std::optional<domain::Timestamp>> FieldReader::NullableTime(std::string_view field) {
  if (!body_.Has(field)) return std::nullopt;
  if (body_.IsNull(field)) return std::optional<domain::Timestamp>{};
  std::optional<std::string> text = String(field, false, 64);
  if (!text) return std::nullopt;
  std::optional<domain::Timestamp> time = domain::ParseRfc3339(*text);
  if (!time) {
    Fail(field, "must be an RFC 3339 date-time, e.g. 2026-11-22T07:00:00Z");
    return std::nullopt;
  }
  return std::optional<domain::Timestamp>{*time};
}

std::optional<JsonBody> ReadBody(const CallPtr& call, std::initializer_list<std::string_view> allowed,
                                 bool allow_empty) {
  auto parsed = JsonBody::Parse(call->request.body(), allow_empty);
  if (auto* failure = std::get_if<FieldError>(&parsed)) {
    call->Reply(ValidationError(failure->field, failure->message));
    return std::nullopt;
  }
  JsonBody body = std::get<JsonBody>(std::move(parsed));
  if (auto unknown = body.FirstUnknownKey(allowed)) {
    call->Reply(ValidationError(*unknown, "is not a known field"));
    return std::nullopt;
  }
  return body;
}

std::optional<domain::Id> PathId(const CallPtr& call, std::size_t index) {
  std::optional<domain::Id> id;
  if (index < call->path_params.size()) id = domain::Id::Parse(call->path_params[index]);
  if (!id) call->Reply(NotFound("no such resource"));
  return id;
}

bool ReadIfMatch(const CallPtr& call, std::optional<std::int64_t>* version) {
  *version = std::nullopt;
  auto it = call->request.find(http::field::if_match);
  if (it == call->request.end()) return true;
  std::string_view value(it->value().data(), it->value().size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value == "*") return true;
  if (value.starts_with("W/")) value.remove_prefix(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  std::int64_t parsed = 0;
  bool ok = !value.empty() && value.size() <= 18;
  for (char c : value) {
    if (c < '0' || c > '9') ok = false;
    if (ok) parsed = parsed * 10 + (c - '0');
  }
  if (!ok) {
    call->Reply(ValidationError("If-Match", "must be an ETag such as \"3\""));
    return false;
  }
  *version = parsed;
  return true;
}

bool RequireTenantUser(const CallPtr& call) {
  if (!call->actor.IsPlatformAdmin()) return true;
  call->Reply(Forbidden("the platform admin token acts on tenants and their first users only"));
  return false;
}

bool RequirePermission(const CallPtr& call, domain::Permission permission) {
  if (domain::Can(call->actor, permission)) return true;
  call->Reply(FromDomainError(
      domain::MissingPermission(permission, "this needs the permission " + std::string(domain::ToString(permission)))));
  return false;
}

domain::CommandHeader MakeHeader(const CallPtr& call, const domain::Id& ticket_id) {
  return domain::CommandHeader{call->actor, call->now, ticket_id, std::nullopt};
}

Response TicketResponse(http::status status, const domain::Ticket& ticket, const domain::Actor& viewer) {
  Response response = JsonResponse(status, TicketJson(ticket, domain::CanSeeInternalComments(viewer)));
  response.set(http::field::etag, "\"" + std::to_string(ticket.version) + "\"");
  return response;
}

bool ReplyIfFailed(const CallPtr& call, const CommandOutcome& outcome) {
  if (!outcome.status.ok()) {
    call->Reply(FromStatus(outcome.status));
    return true;
  }
  if (outcome.error) {
    call->Reply(FromDomainError(*outcome.error));
    return true;
  }
  return false;
}

void SubmitTicketCommand(Services& services, const CallPtr& call, domain::TicketCommand command,
                         http::status success) {
  if (auto* create = std::get_if<domain::CreateTicket>(&command)) create->attachments = call->attachments.Take();
  services.engine.Submit(std::move(command), call->correlation_id, [call, success](CommandOutcome&& outcome) {
    if (ReplyIfFailed(call, outcome)) return;
    if (!outcome.ticket) return call->Reply(NotFound("no such ticket"));
    Response response = TicketResponse(success, *outcome.ticket, call->actor);
    AddAttachmentsArray(response, outcome.events);
    if (success == http::status::created)
      response.set(http::field::location, "/api/v1/tickets/" + outcome.ticket->id.ToString());
    call->Reply(std::move(response));
  });
}

}  // namespace ticketd::api

#include "responses.h"

#include "ticketd/projections/json_writer.h"

namespace ticketd::api {

using projections::JsonWriter;

Response JsonResponse(http::status status, std::string body) {
  Response response{status, 11};
  response.set(http::field::content_type, "application/json");
  // API answers hold tenant data: never stored by a browser or proxy, never sniffed as another type.
  response.set(http::field::cache_control, "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.body() = std::move(body);
  return response;
}

Response EmptyResponse(http::status status) {
  Response response{status, 11};
  return response;
}

Response ErrorResponse(http::status status, std::string_view code, std::string_view message,
                       std::string_view details_json) {
  JsonWriter json;
  json.BeginObject().Key("error").BeginObject();
  json.Key("code").String(code).Key("message").String(message).Key("details").Raw(details_json);
  json.EndObject().EndObject();
  return JsonResponse(status, json.Take());
}

Response ValidationError(std::string_view field, std::string_view message) {
  JsonWriter details;
  details.BeginObject();
  if (!field.empty()) details.Key("field").String(field);
  details.EndObject();
  std::string text = field.empty() ? std::string(message) : std::string(field) + ": " + std::string(message);
  return ErrorResponse(http::status::bad_request, "VALIDATION_ERROR", text, details.str());
}

Response NotFound(std::string_view what) { return ErrorResponse(http::status::not_found, "NOT_FOUND", what); }

Response Forbidden(std::string_view message) {
  return ErrorResponse(http::status::forbidden, "FORBIDDEN", message);
}

Response InvalidCredentials() {
  return ErrorResponse(http::status::unauthorized, "INVALID_CREDENTIALS", "wrong tenant, email or password");
}

Response FromDomainError(const domain::DomainError& error) {
  using domain::ErrorCode;
  switch (error.code) {
    case ErrorCode::kValidation:
      return ValidationError(error.field, error.message);
    case ErrorCode::kForbidden: {
      if (!error.permission) return Forbidden(error.message);
      JsonWriter details;
      details.BeginObject().Key("permission").String(domain::ToString(*error.permission)).EndObject();
      return ErrorResponse(http::status::forbidden, "FORBIDDEN", error.message, details.str());
    }
    case ErrorCode::kCrossTenantReference: {
      JsonWriter details;
      details.BeginObject().Key("field").String(error.field).EndObject();
      return ErrorResponse(http::status::forbidden, "CROSS_TENANT_REFERENCE", error.message, details.str());
    }
    case ErrorCode::kNotFound:
      return NotFound(error.message);
    case ErrorCode::kInvalidTransition: {
      JsonWriter details;
      details.BeginObject().Key("from").String(domain::ToString(error.from));
      details.Key("to").String(domain::ToString(error.to)).Key("allowed").BeginArray();
      for (auto status : error.allowed) details.String(domain::ToString(status));
      details.EndArray();
      if (!error.reason.empty()) details.Key("reason").String(error.reason);  // a tenant policy refused it
      details.EndObject();
      return ErrorResponse(http::status::conflict, "INVALID_TRANSITION", error.message, details.str());
    }
    case ErrorCode::kAssetInUse:
      return ErrorResponse(http::status::conflict, "ASSET_IN_USE", error.message);
    case ErrorCode::kEmailTaken:
      return ErrorResponse(http::status::conflict, "EMAIL_TAKEN", error.message, R"({"field":"email"})");
    case ErrorCode::kSubjectErased:
      return ErrorResponse(http::status::conflict, "SUBJECT_ERASED", error.message);
    case ErrorCode::kIdempotencyKeyReused:
      return ErrorResponse(http::status::unprocessable_entity, "IDEMPOTENCY_KEY_REUSED", error.message,
                           R"({"header":"Idempotency-Key"})");
    case ErrorCode::kTicketClosed:
      return ErrorResponse(http::status::conflict, "TICKET_CLOSED", error.message);
    // access (issue 11)
    case ErrorCode::kNotLicensed: {
      JsonWriter details;
      details.BeginObject().Key("feature").String(error.field).EndObject();
      return ErrorResponse(http::status::forbidden, "NOT_LICENSED", error.message, details.str());
    }
    case ErrorCode::kQuotaExceeded: {
      JsonWriter details;
      details.BeginObject().Key("quota").String(error.quota).Key("limit").Int(error.limit);
      details.Key("current").Int(error.current).EndObject();
      return ErrorResponse(http::status::conflict, "QUOTA_EXCEEDED", error.message, details.str());
    }
    case ErrorCode::kNameTaken:
      return ErrorResponse(http::status::conflict, "NAME_TAKEN", error.message, R"({"field":"name"})");
    case ErrorCode::kVersionConflict: {
      JsonWriter details;
      details.BeginObject().Key("expected_version").Int(error.expected_version);
      details.Key("current_version").Int(error.actual_version).EndObject();
      return ErrorResponse(http::status::precondition_failed, "VERSION_CONFLICT", error.message,
                           details.str());
    }
    // ---- sign-in ----
    case ErrorCode::kSlugTaken:
      return ErrorResponse(http::status::conflict, "SLUG_TAKEN", error.message, R"({"field":"slug"})");
    case ErrorCode::kInvalidCredentials:
      return InvalidCredentials();
    case ErrorCode::kInvalidRefreshToken:
      return ErrorResponse(http::status::unauthorized, "INVALID_REFRESH_TOKEN", error.message);
    case ErrorCode::kInvalidResetToken:
      return ErrorResponse(http::status::bad_request, "INVALID_RESET_TOKEN", error.message);
  }
  return ErrorResponse(http::status::bad_request, "VALIDATION_ERROR", error.message);
}

Response FromStatus(const Status& status) {
  Response response =
      ErrorResponse(http::status::service_unavailable, "STORAGE_UNAVAILABLE",
                    "the event log could not be written; nothing was changed: " + status.ToString());
  response.set(http::field::retry_after, "1");
  return response;
}

}  // namespace ticketd::api

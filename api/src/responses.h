// Building JSON responses and the contract's error bodies:
// {"error":{"code":"SNAKE_CASE","message":"...","details":{...}}}.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "http_types.h"
#include "ticketd/domain/errors.h"
#include "ticketd/base/status.h"

namespace ticketd::api {

Response JsonResponse(http::status status, std::string body);
Response EmptyResponse(http::status status);
// details_json must be a JSON object ("{}" when there is nothing to add).
Response ErrorResponse(http::status status, std::string_view code, std::string_view message,
                       std::string_view details_json = "{}");
Response ValidationError(std::string_view field, std::string_view message);
Response NotFound(std::string_view what = "no such resource");
Response Forbidden(std::string_view message = "this action is not allowed for your role");
// 401 INVALID_CREDENTIALS: the one answer for every failed sign-in.
Response InvalidCredentials();
// The decider's refusal, mapped to the contract's status and code.
Response FromDomainError(const domain::DomainError& error);
// A storage or shutdown failure: 503 with Retry-After (never 500).
Response FromStatus(const Status& status);

}  // namespace ticketd::api

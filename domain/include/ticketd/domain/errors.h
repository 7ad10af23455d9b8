// DomainError: why a decider refused a command. The api maps each code to the
// contract's HTTP status and error code (see FromDomainError in api/src/responses.cc).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ticketd/domain/types.h"

namespace ticketd::domain {

enum class ErrorCode {
  kValidation,            // 400 VALIDATION_ERROR; `field` names the offending field
  kForbidden,             // 403 FORBIDDEN
  kCrossTenantReference,  // 403 CROSS_TENANT_REFERENCE; `field` is assignee_id / asset_id
  kNotFound,              // 404 NOT_FOUND (also: another tenant's entity read by id)
  kInvalidTransition,     // 409 INVALID_TRANSITION; from/to/allowed filled in
  kAssetInUse,            // 409 ASSET_IN_USE
  kEmailTaken,            // 409 EMAIL_TAKEN
  kTicketClosed,          // 409 TICKET_CLOSED: assignment on a closed/cancelled ticket
  kVersionConflict,       // 412 VERSION_CONFLICT (If-Match mismatch)
  kSubjectErased,         // 409 SUBJECT_ERASED: new personal text for an erased ticket
  kIdempotencyKeyReused,  // 422 IDEMPOTENCY_KEY_REUSED: the key already made another request's result
  // ---- access (ACCESS.md: groups, settings, licences, quotas) ----
  kNotLicensed,    // 403 NOT_LICENSED; `field` names the feature
  kQuotaExceeded,  // 409 QUOTA_EXCEEDED; quota/limit/current filled in
  kNameTaken,      // 409 NAME_TAKEN; `field` is "name"
  // ---- sign-in (issue 11) ----
  kSlugTaken,             // 409 SLUG_TAKEN
  kInvalidCredentials,    // 401 INVALID_CREDENTIALS (login, current password)
  kInvalidRefreshToken,   // 401 INVALID_REFRESH_TOKEN
  kInvalidResetToken,     // 400 INVALID_RESET_TOKEN
};

struct DomainError {
  ErrorCode code;
  std::string message;  // for a person
  std::string field;    // kValidation / kCrossTenantReference: which field
  // kInvalidTransition only:
  TicketStatus from = TicketStatus::kOpen;
  TicketStatus to = TicketStatus::kOpen;
  std::vector<TicketStatus> allowed;
  std::string reason;  // details.reason when a tenant policy refused it ("reopen_policy")
  // kVersionConflict only:
  std::int64_t expected_version = 0;
  std::int64_t actual_version = 0;
  // kForbidden: the permission the actor lacks (details.permission), if one.
  std::optional<Permission> permission;
  // kQuotaExceeded only:
  std::string quota;
  std::int64_t limit = 0;
  std::int64_t current = 0;
};

inline DomainError MakeError(ErrorCode code, std::string message, std::string field = {}) {
  DomainError e{code, std::move(message), std::move(field)};
  return e;
}

// 403 FORBIDDEN naming the missing permission.
inline DomainError MissingPermission(Permission permission, std::string message) {
  DomainError e{ErrorCode::kForbidden, std::move(message)};
  e.permission = permission;
  return e;
}

}  // namespace ticketd::domain

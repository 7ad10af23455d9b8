// What the sign-in routes share: the JWT key, the password pool, the
// lockout guard and the token lifetime; plus the opaque token formats.
// Owned by RunServer, borrowed by the router and the handlers.
//
// Refresh and reset tokens carry their tenant in clear so that a request
// finds the tenant's state without a global index; the secret is 32 random
// bytes and only SHA-256 of the whole token is ever stored:
//   tkr_<base64url(tenant id 16 bytes || secret 32 bytes)>   refresh
//   tkp_<base64url(tenant id 16 bytes || secret 32 bytes)>   password reset
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http_types.h"
#include "jwt.h"
#include "login_guard.h"
#include "password_pool.h"
#include "ticketd/domain/id.h"

namespace ticketd::api {

struct SignIn {
  std::unique_ptr<JwtKeys> keys;
  std::unique_ptr<PasswordPool> pool;
  LoginGuard guard;
  std::int64_t access_token_ttl_seconds = 900;
};

inline constexpr std::string_view kRefreshTokenPrefix = "tkr_";
inline constexpr std::string_view kResetTokenPrefix = "tkp_";

std::string NewTenantToken(std::string_view prefix, const domain::Id& tenant_id);
// The tenant of a well-formed token with this prefix; nullopt otherwise.
std::optional<domain::Id> TenantOfToken(std::string_view prefix, std::string_view token);

// libsodium's one-time initialisation (thread-safe, cheap after the first
// call); aborts if the library cannot start, as no secret could be made.
void RequireSodium();
// Overwrites a password or token before its memory is released.
void WipeSecret(std::string& secret);
// 503 OVERLOADED with Retry-After: the password pool's queue is full.
Response PasswordPoolBusy();

}  // namespace ticketd::api

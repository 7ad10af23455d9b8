#include "signin.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "responses.h"
#include "ticketd/base/encoding.h"

namespace ticketd::api {

void RequireSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();
}

void WipeSecret(std::string& secret) {
  if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
  secret.clear();
}

Response PasswordPoolBusy() {
  Response response = ErrorResponse(http::status::service_unavailable, "OVERLOADED",
                                    "too many password checks in progress; retry shortly");
  response.set(http::field::retry_after, "1");
  return response;
}

std::string NewTenantToken(std::string_view prefix, const domain::Id& tenant_id) {
  RequireSodium();
  unsigned char raw[48];
  std::memcpy(raw, tenant_id.bytes.data(), 16);
  randombytes_buf(raw + 16, 32);
  std::string token(prefix);
  token += Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
  sodium_memzero(raw, sizeof raw);
  return token;
}

std::optional<domain::Id> TenantOfToken(std::string_view prefix, std::string_view token) {
  if (!token.starts_with(prefix) || token.size() > 128) return std::nullopt;
  std::optional<std::string> raw = Base64UrlDecode(token.substr(prefix.size()));
  if (!raw || raw->size() != 48) return std::nullopt;
  domain::Id id;
  std::memcpy(id.bytes.data(), raw->data(), 16);
  return id;
}

}  // namespace ticketd::api

#include "signin.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "responses.h"

namespace ticketd::api {

std::string Base64Url(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> FromBase64Url(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(length);
  return out;
}

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
  token += Base64Url(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
  sodium_memzero(raw, sizeof raw);
  return token;
}

std::optional<domain::Id> TenantOfToken(std::string_view prefix, std::string_view token) {
  if (!token.starts_with(prefix) || token.size() > 128) return std::nullopt;
  std::optional<std::string> raw = FromBase64Url(token.substr(prefix.size()));
  if (!raw || raw->size() != 48) return std::nullopt;
  domain::Id id;
  std::memcpy(id.bytes.data(), raw->data(), 16);
  return id;
}

}  // namespace ticketd::api

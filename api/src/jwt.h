// Access tokens: JWTs signed with Ed25519 (JWS "EdDSA", RFC 8037) through
// OpenSSL. The private key lives in DATA_DIR/jwt-ed25519.pem (PKCS#8, mode
// 0600, made on first start); GET /.well-known/jwks.json publishes the
// public half as an OKP JWK.
//
// Verify is O(1): a token already verified once is found by its SHA-256 in a
// bounded cache, so the Ed25519 check runs once per token, not per request.
// Revocation is not this class's business: the router looks the session up.
//
// Thread-safety: all const methods from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/id.h"
#include "ticketd/base/status.h"

namespace ticketd::api {

struct AccessClaims {
  domain::Id user_id;     // sub
  domain::Id tenant_id;   // tid
  domain::Id session_id;  // sid
  domain::Id token_id;    // jti
  std::int64_t issued_at = 0;   // iat, seconds
  std::int64_t expires_at = 0;  // exp, seconds
};

class JwtKeys {
 public:
  // Loads DATA_DIR/jwt-ed25519.pem, or makes it. IOError if it cannot.
  static Status Open(const std::string& data_dir, std::unique_ptr<JwtKeys>* keys);
  ~JwtKeys();
  JwtKeys(const JwtKeys&) = delete;
  JwtKeys& operator=(const JwtKeys&) = delete;

  std::string Sign(const AccessClaims& claims) const;
  // The claims of a token this key signed, with alg EdDSA, unexpired at
  // `now_seconds`; nullopt for anything else (malformed, truncated, alg
  // none, another key, changed bytes, expired).
  std::optional<AccessClaims> Verify(std::string_view token, std::int64_t now_seconds) const;
  // {"keys":[{"kty":"OKP","crv":"Ed25519","x":...,"kid":...,"alg":"EdDSA","use":"sig"}]}
  std::string JwksJson() const;

 private:
  struct Impl;
  explicit JwtKeys(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Whether a bearer token has the shape of a JWT (three dot-separated parts).
bool LooksLikeJwt(std::string_view token);

}  // namespace ticketd::api

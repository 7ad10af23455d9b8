// Router: matches method and path against the route table, authenticates the
// bearer token (platform admin token or a user's, both compared as SHA-256
// hashes in constant time), and dispatches to a handler. It never sees a
// socket. 404 for an unknown path, 405 (with Allow) for a known path with
// another method, 401 before any handler runs without a valid token.
// Thread-safe: Handle() is called concurrently from the server's threads.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "call.h"
#include "http_types.h"
#include "rate_limiter.h"

namespace ticketd::api {

struct RouterOptions {
  std::array<std::uint8_t, 32> admin_token_sha256{};
  double rate_limit = 0;  // requests per second per token; 0 = off
  double rate_burst = 0;
};

class Router final : public RequestHandler {
 public:
  Router(Engine& engine, Metrics& metrics, SignIn& signin, const RouterOptions& options);
  void Handle(Request&& request, Responder respond) override;

 private:
  bool Authenticate(Call& call, std::array<std::uint8_t, 32>* token_hash) const;
  Services services_;
  RouterOptions options_;
  std::unique_ptr<RateLimiter> rate_limiter_;  // null when off
};

}  // namespace ticketd::api

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
#include <string_view>
#include <vector>

#include "call.h"
#include "ticketd/projections/directory_read_model.h"
#include "http_types.h"
#include "rate_limiter.h"

namespace ticketd::api {

struct RouterOptions {
  std::array<std::uint8_t, 32> admin_token_sha256{};
  double rate_limit = 0;  // requests per second per token; 0 = off
  double rate_burst = 0;
  LiveHub* live_hub = nullptr;  // live stream SSE: GET /api/v1/stream
  std::string mail_from;  // mail in: --mail-from (Services::mail_from)
};

// One served route as documented: method ("GET"), path with {name}
// placeholders, whether it needs a bearer token. For the test that holds
// schemas/openapi.yaml to the route table.
struct ServedRoute {
  std::string_view method;
  std::string_view path;
  bool authenticated = true;
};
std::vector<ServedRoute> ServedRoutes();

class Router final : public RequestHandler {
 public:
  Router(Engine& engine, Metrics& metrics, SignIn& signin, const RouterOptions& options,
         ApiKeyUsage* api_key_usage = nullptr);
  void Handle(Request&& request, Responder respond) override;
  // mail out (issue 14): before serving; null (--smtp off) is allowed.
  void AttachMailer(app::Mailer* mailer) { services_.mailer = mailer; }
  void Handle(Request&& request, Responder respond, StreamResponder stream) override;
  std::size_t BodyLimit(const Request& header, std::size_t default_limit) const override;
  bool StreamsBody(const Request& header) const override;  // the upload routes' multipart bodies
  void Handle(Request&& request, Responder respond, StreamResponder stream, RequestBodyPtr body) override;

 private:
  bool Authenticate(Call& call, std::array<std::uint8_t, 32>* token_hash) const;
  // /public/v1: the API key's caller (also counts the request); nullopt -> 401.
  std::optional<projections::DirectoryReadModel::ApiKeyCaller> AuthenticateApiKey(
      Call& call, std::array<std::uint8_t, 32>* key_hash) const;
  Services services_;
  RouterOptions options_;
  std::unique_ptr<RateLimiter> rate_limiter_;  // null when off
};

}  // namespace ticketd::api

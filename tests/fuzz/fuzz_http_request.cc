// libFuzzer: raw request bytes through the path a connection takes —
// Beast's request parser with the session's limits, then the Router, its
// handlers and a real Engine (its log in a temp dir, fsync off) — without a
// socket. Whatever the bytes: a parse error (the session answers 400/413) or
// exactly one response with a JSON error body for every 4xx/5xx, and never
// a 500.
//
// Input: first byte picks the bearer token added when the request has no
// Authorization header (none, platform admin, tenant admin, agent,
// reporter); the rest is the request. "$TICKET" in the target becomes a real
// ticket's id, so the seeds can reach the ticket routes.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>

#include "ticketd/app/engine.h"
#include "ticketd/app/ids.h"
#include "query_string.h"
#include "ticketd/app/metrics.h"
#include "ticketd/base/sha256.h"
#include "router.h"
#include "signin.h"

namespace {

using namespace ticketd;
using namespace ticketd::api;
using namespace ticketd::app;

constexpr char kAdminToken[] = "fuzz-platform-admin";
constexpr std::size_t kBodyLimit = 1 << 20;  // HttpServerOptions' default
constexpr std::uint32_t kHeaderLimit = 64 * 1024;

struct World {
  Metrics metrics;
  std::unique_ptr<Engine> engine;
  SignIn signin;
  std::unique_ptr<Router> router;
  std::string tokens[5];  // "", admin, tenant admin, agent, reporter
  std::string ticket_id;
};

Response Send(World& world, Request request) {
  std::promise<Response> answered;
  std::future<Response> answer = answered.get_future();
  auto once = std::make_shared<std::once_flag>();
  world.router->Handle(std::move(request), [&answered, once](Response&& response) {
    std::call_once(*once, [&] { answered.set_value(std::move(response)); });
  });
  return answer.get();  // a request left unanswered hangs: libFuzzer's -timeout reports it
}

// A request through the router during set-up; returns one field of the answer.
std::string Field(World& world, http::verb verb, const std::string& target, const std::string& token,
                  const std::string& body, const std::string& field) {
  Request request{verb, target, 11};
  request.set(http::field::authorization, "Bearer " + token);
  request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  Response response = Send(world, std::move(request));
  const std::string key = "\"" + field + "\":\"";
  std::size_t at = response.body().find(key);
  if (at == std::string::npos) {
    std::fprintf(stderr, "fuzz set-up failed: %s %s -> %s\n", target.c_str(), body.c_str(),
                 response.body().c_str());
    std::abort();
  }
  at += key.size();
  return response.body().substr(at, response.body().find('"', at) - at);
}

World& TheWorld() {
  static World* world = [] {
    auto* w = new World();
    const char* tmp = std::getenv("TMPDIR");
    std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/ticketd-fuzz-XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) std::abort();
    EngineOptions options;
    options.data_dir = dir;
    options.sync = false;
    if (!Engine::Open(options, &w->metrics, &w->engine).ok()) std::abort();
    RouterOptions router_options;
    router_options.admin_token_sha256 = Sha256(kAdminToken);
    // Sign-in as ticketd sets it up, with a one-worker password pool.
    if (!JwtKeys::Open(dir, &w->signin.keys).ok()) std::abort();
    w->signin.pool = std::make_unique<PasswordPool>(1, 8, "fuzz-pwhash");
    w->router = std::make_unique<Router>(*w->engine, w->metrics, w->signin, router_options);
    w->tokens[1] = kAdminToken;
    std::string tenant =
        Field(*w, http::verb::post, "/api/v1/tenants", kAdminToken, R"({"name":"Fuzz"})", "id");
    const char* roles[] = {"admin", "agent", "reporter"};
    for (int i = 0; i < 3; ++i) {
      w->tokens[2 + i] = Field(*w, http::verb::post, "/api/v1/tenants/" + tenant + "/users", kAdminToken,
                               std::string(R"({"name":"U","email":")") + roles[i] + R"(@fuzz.test","role":")" +
                                   roles[i] + "\"}",
                               "token");
    }
    w->ticket_id = Field(*w, http::verb::post, "/api/v1/tickets", w->tokens[3],
                         R"({"subject":"Seed","description":"for the fuzzer"})", "id");
    return w;
  }();
  return *world;
}

void Replace(std::string& text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  TheWorld();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  World& world = TheWorld();
  const std::string& token = world.tokens[data[0] % 5];
  std::string raw(reinterpret_cast<const char*>(data + 1), size - 1);
  Replace(raw, "$TICKET", world.ticket_id);

  // As HttpSession reads: the header first (limited), then the body.
  http::request_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  parser.header_limit(kHeaderLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t offset = 0;
  while (!ec && !parser.is_done()) {
    std::size_t used = parser.put(boost::asio::buffer(raw.data() + offset, raw.size() - offset), ec);
    offset += used;
    if (ec == http::error::need_more) ec = {};
    if (!ec && used == 0) {
      // The client stopped sending. Beast's read does the same: put_eof only
      // after some bytes (its precondition, asserted in Debug builds), else
      // the connection closed before a request began.
      if (parser.got_some()) parser.put_eof(ec);
      break;
    }
  }
  if (ec || !parser.is_done()) return 0;  // the session answers 400/413 itself
  Request request = parser.release();
  // Backups write wherever the body says: keep the fuzzer off the file system.
  // The router matches fixed segments as sent (no decoding, also in an
  // absolute-form target), so the raw target names "backups" to reach it.
  if (std::string_view(request.target().data(), request.target().size()).find("backups") != std::string_view::npos)
    return 0;
  if (!token.empty() && request.find(http::field::authorization) == request.end())
    request.set(http::field::authorization, "Bearer " + token);

  Response response = Send(world, std::move(request));
  const int status = response.result_int();
  if (status >= 500 && status != 503) __builtin_trap();  // never a 500 for what a client sent
  if (status >= 400 && response.body().rfind("{\"error\":{\"code\":\"", 0) != 0) __builtin_trap();
  return 0;
}

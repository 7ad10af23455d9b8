// Call: one request on its way through the router, shared by the handler and
// (for commands) the engine's completion. Reply() must be called once; it
// records metrics and hands the response to the session.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http_types.h"
#include "query_string.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/ticket.h"
#include "ticketd/domain/types.h"

namespace ticketd::eventstore {
class EventLog;
}

namespace ticketd::app {
class Engine;
class Metrics;
class Mailer;
}  // namespace ticketd::app

namespace ticketd::api {

class ApiKeyUsage;
class LiveHub;
struct SignIn;

// The application core this adapter drives.
using app::Engine;
using app::Metrics;

// Checked files of a multipart create/comment (bytes staged in the log). A
// route takes them (Take) into the command it submits; from then on the
// engine owns them (a command that fails drops them, Engine::Submit). Files
// no command took are dropped when the call ends.
struct PendingFiles {
  eventstore::EventLog* log = nullptr;
  std::vector<domain::NewAttachment> files;

  std::vector<domain::NewAttachment> Take() { return std::exchange(files, {}); }
  PendingFiles() = default;
  PendingFiles(const PendingFiles&) = delete;
  PendingFiles& operator=(const PendingFiles&) = delete;
  ~PendingFiles();  // handlers_attachments.cc
};

struct Call {
  Request request;
  Target target;
  std::vector<std::string> path_params;  // the {} segments of the matched route, in order
  domain::Actor actor;
  // Set on /public/v1 routes: the API key that authenticated the request
  // (the actor is then its creator; handlers accept the public extras).
  std::optional<domain::Id> api_key_id;
  std::optional<domain::Id> session_id;  // signed in with a JWT: its session
  // live stream SSE: the bearer token's SHA-256, and a JWT's expiry (seconds),
  // so a long-lived answer can check its credential again and end with it.
  std::array<std::uint8_t, 32> token_sha256{};
  std::optional<std::int64_t> token_expires_at;
  domain::Id correlation_id;
  domain::Timestamp now = 0;
  const char* route = "unmatched";
  std::chrono::steady_clock::time_point started;
  Responder respond;
  StreamResponder stream;  // null when the transport cannot stream
  Metrics* metrics = nullptr;
  // Multipart create/comment (issue 13): the checked files the command attaches.
  PendingFiles attachments;
  // An upload route's body, pulled as it arrives (request_body.h); null when
  // the session read it into request.body() (then that is the whole body).
  RequestBodyPtr body;

  void Reply(Response&& response);
  // A streamed answer: `head` is its header (no body). Needs `stream`.
  void ReplyStream(Response&& head, ResponseStreamPtr body);
};
using CallPtr = std::shared_ptr<Call>;

// What handlers work with.
struct Services {
  Engine& engine;
  Metrics& metrics;
  ApiKeyUsage* api_key_usage = nullptr;  // per-key request counts (router, /api-keys)
  SignIn* signin = nullptr;  // the sign-in routes' keys, pool and lockout (server.cc)
  LiveHub* live = nullptr;   // GET /api/v1/stream (live_hub.h); null: not served
  app::Mailer* mailer = nullptr;  // mail out (issue 14): null with --smtp off
  std::string mail_from;     // mail in: --mail-from; inbound mail from it is a loop
};

using HandlerFn = void (*)(Services& services, const CallPtr& call);

}  // namespace ticketd::api

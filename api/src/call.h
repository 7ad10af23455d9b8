// Call: one request on its way through the router, shared by the handler and
// (for commands) the engine's completion. Reply() must be called once; it
// records metrics and hands the response to the session.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_types.h"
#include "query_string.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/types.h"

namespace ticketd::api {

class Engine;
class Metrics;
struct SignIn;

struct Call {
  Request request;
  Target target;
  std::vector<std::string> path_params;  // the {} segments of the matched route, in order
  domain::Actor actor;
  std::optional<domain::Id> session_id;  // signed in with a JWT: its session
  domain::Id correlation_id;
  domain::Timestamp now = 0;
  const char* route = "unmatched";
  std::chrono::steady_clock::time_point started;
  Responder respond;
  Metrics* metrics = nullptr;

  void Reply(Response&& response);
};
using CallPtr = std::shared_ptr<Call>;

// What handlers work with.
struct Services {
  Engine& engine;
  Metrics& metrics;
  SignIn* signin = nullptr;  // the sign-in routes' keys, pool and lockout (server.cc)
};

using HandlerFn = void (*)(Services& services, const CallPtr& call);

}  // namespace ticketd::api

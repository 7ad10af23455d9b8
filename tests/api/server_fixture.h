// Helpers for the HttpServer tests: a RequestHandler made of a lambda, a
// place where a handler parks responders for another thread to answer, and
// a reader of the contract's JSON error bodies.
#pragma once

// clang-format off
#include <utility>  // before any Asio header (Boost 1.74, GCC 12)
// clang-format on

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "http_server.h"
#include "http_client.h"

namespace ticketd::api::testing {

inline constexpr std::chrono::seconds kWait{20};

using integration::GetRequest;
using integration::HttpClient;
using integration::HttpResponse;

// GET `target` on the client's open connection, never reconnecting (what the
// tests of keep-alive and framing need): status 0 and the reason in `body`
// when sending or reading failed.
HttpResponse RawGet(HttpClient& client, std::string_view target);

class FnHandler : public RequestHandler {
 public:
  using Fn = std::function<void(Request&&, Responder)>;
  explicit FnHandler(Fn fn) : fn_(std::move(fn)) {}
  void Handle(Request&& request, Responder respond) override { fn_(std::move(request), std::move(respond)); }

 private:
  Fn fn_;
};

// 200 text/plain with `body`.
Response TextResponse(std::string body);
// 200 with "<METHOD> <target> <body size>".
Response EchoResponse(const Request& request);

// Responders parked by a handler, answered later by the test thread.
class Parking {
 public:
  void Park(std::string target, Responder respond);
  // The oldest parked responder, waiting up to kWait; empty on timeout.
  std::optional<std::pair<std::string, Responder>> Take();
  // Waits until `count` responders were parked in total (kWait deadline).
  bool WaitParkedTotal(std::size_t count);
  std::size_t parked_total();

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::pair<std::string, Responder>> parked_;
  std::size_t total_ = 0;
};

// Starts a server on 127.0.0.1, port 0; null (with a gtest failure) if not.
std::unique_ptr<HttpServer> StartServer(RequestHandler& handler, HttpServerOptions options = {});

struct ErrorBody {
  std::string code;
  std::string message;
  std::optional<std::int64_t> limit_bytes;
};
// Parses {"error":{"code","message","details"}}; nullopt if malformed.
std::optional<ErrorBody> ParseErrorBody(const std::string& body);

}  // namespace ticketd::api::testing

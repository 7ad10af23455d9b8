// The request/response types the router works with. The router never sees a
// socket: it gets a parsed request and answers through a callback, which may
// run on any thread (commands complete on the engine's writer thread).
#pragma once

// clang-format off
#include <utility>  // before any Asio header: std::exchange in awaitable.hpp (Boost 1.74, GCC 12)
// clang-format on
#include <boost/beast/http.hpp>
#include <functional>
#include <optional>

#include "request_body.h"
#include "response_stream.h"

namespace ticketd::api {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Responder = std::function<void(Response&&)>;
// Answers with a header and a stream instead (response_stream.h); like
// Responder, any thread, once, and instead of it.
using StreamResponder = std::function<void(Response&& head, ResponseStreamPtr stream)>;

// Implemented by the Router. Must call `respond` exactly once.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual void Handle(Request&& request, Responder respond) = 0;
  // What the session calls: handlers that stream override it; by default
  // every answer is a plain one.
  virtual void Handle(Request&& request, Responder respond, StreamResponder /*stream*/) {
    Handle(std::move(request), std::move(respond));
  }
  // The body limit of the route `header` (a request whose body is not read
  // yet) goes to: its own when it has one, else `default_limit` (the server's).
  virtual std::size_t BodyLimit(const Request& /*header*/, std::size_t default_limit) const { return default_limit; }
  // Upload routes (request_body.h): true when the request whose header is
  // `header` should be dispatched at once, its body pulled as it arrives.
  virtual bool StreamsBody(const Request& /*header*/) const { return false; }
  // Such a request: `request` holds the header, its body comes from `body`.
  virtual void Handle(Request&& request, Responder respond, StreamResponder stream, RequestBodyPtr /*body*/) {
    Handle(std::move(request), std::move(respond), std::move(stream));
  }
};

}  // namespace ticketd::api

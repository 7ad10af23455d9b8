// HttpServer: Boost.Beast HTTP/1.1 keep-alive server (Beast's advanced async
// server): the listener owns the acceptor, each session owns its stream and
// buffer and runs on its own strand, with a read timeout before each read, a
// parser body limit (oversized bodies get 413 JSON from the header alone,
// then the connection closes), and a bounded pipeline that pauses reading.
// Threads: `threads` workers run one io_context. Stop() stops accepting,
// lets in-flight requests finish (bounded by a deadline), and joins.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "http_types.h"
#include "ticketd/base/status.h"

namespace ticketd::api {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: pick a free port (see HttpServer::port())
  int threads = 2;
  std::size_t body_limit = 1 << 20;  // 1 MiB
  std::chrono::seconds read_timeout{30};
  std::size_t max_pipelined = 16;  // queued responses before reading pauses
};

class HttpServer {
 public:
  virtual ~HttpServer() = default;
  // Binds, listens and starts the worker threads. IOError if the address
  // cannot be bound. `handler` must outlive the server.
  static Status Start(const HttpServerOptions& options, RequestHandler& handler,
                      std::unique_ptr<HttpServer>* server);
  // The bound port (useful with port 0).
  virtual std::uint16_t port() const = 0;
  // Stop accepting, drain in-flight requests for up to `drain`, close, join.
  virtual void Stop(std::chrono::milliseconds drain) = 0;
};

}  // namespace ticketd::api

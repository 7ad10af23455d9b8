// RawClient: a blocking HTTP/1.1 test client over loopback that can send
// arbitrary bytes (garbage, pipelined requests, a header without its body)
// and read responses one at a time. Every operation has a deadline, so a
// server bug fails the test instead of hanging it.
//
// Thread-safety: none; one client per thread.
#pragma once

// clang-format off
#include <utility>  // before any Asio header (Boost 1.74, GCC 12)
// clang-format on

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ticketd::api::testing {

namespace beast = boost::beast;
namespace http = boost::beast::http;

using ClientResponse = http::response<http::string_body>;

class RawClient {
 public:
  static constexpr std::chrono::seconds kTimeout{20};

  explicit RawClient(std::uint16_t port);
  // False if the connection was refused or timed out.
  bool connected() const { return connected_; }

  beast::error_code Send(std::string_view bytes);
  // Reads one response (an interim 100 Continue counts as one).
  beast::error_code Read(ClientResponse& response);
  // True if the server closed the connection (end of stream) before any
  // further byte arrived.
  bool ReadsEof();

  // Send + Read of a simple request on this connection.
  ClientResponse Get(std::string_view target, beast::error_code* ec = nullptr);

 private:
  beast::error_code Run();

  boost::asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
  bool done_ = false;
  beast::error_code result_;
};

std::string GetRequest(std::string_view target, bool keep_alive = true);

}  // namespace ticketd::api::testing

// HttpSession: one keep-alive connection (Beast's advanced server pattern).
// Runs on its own strand; reads a request, hands it to the RequestHandler,
// and keeps reading while earlier answers are pending (a bounded pipeline);
// answers are written strictly in request order, whichever thread completes
// them. A body over the limit is refused with 413 from its header alone; a
// malformed request gets 400; both close the connection.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <utility>

#include "http_server.h"

namespace ticketd::api {

namespace net = boost::asio;
namespace beast = boost::beast;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(net::ip::tcp::socket&& socket, RequestHandler& handler, const HttpServerOptions& options,
              std::atomic<int>& in_flight);
  void Run();

 private:
  struct Slot {
    std::optional<Response> response;
  };

  void ReadHeader();
  void OnHeader(beast::error_code ec);
  void OnBody(beast::error_code ec);
  void Dispatch(Request&& request);
  // Queues a last answer (413/400) and stops reading; closes once written.
  void Refuse(Response&& response);
  void RefuseTooLarge();
  void WriteNext();
  void OnWrite(beast::error_code ec, bool close);
  void Close();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  RequestHandler& handler_;
  const HttpServerOptions& options_;
  std::atomic<int>& in_flight_;
  std::deque<std::shared_ptr<Slot>> slots_;  // strand only
  bool writing_ = false;
  bool reading_ = false;
  bool close_after_writes_ = false;
};

}  // namespace ticketd::api

#include "http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <cstdio>

#include "responses.h"

namespace ticketd::api {
namespace {

void Fail(beast::error_code ec, const char* what) {
  if (ec == net::error::operation_aborted || ec == beast::error::timeout ||
      ec == net::error::connection_reset || ec == http::error::end_of_stream || ec == net::error::eof ||
      ec == net::error::broken_pipe)
    return;
  std::fprintf(stderr, "ticketd: http %s: %s\n", what, ec.message().c_str());
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket&& socket, RequestHandler& handler,
                         const HttpServerOptions& options, std::atomic<int>& in_flight)
    : stream_(std::move(socket)), handler_(handler), options_(options), in_flight_(in_flight) {}

void HttpSession::Run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void HttpSession::ReadHeader() {
  if (close_after_writes_) return;
  reading_ = true;
  parser_.emplace();
  parser_->body_limit(options_.body_limit);
  parser_->header_limit(64 * 1024);
  stream_.expires_after(options_.read_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
}

void HttpSession::OnHeader(beast::error_code ec) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset || ec == net::error::eof) {
    reading_ = false;
    close_after_writes_ = true;
    if (slots_.empty()) Close();
    return;
  }
  // Beast reports an announced Content-Length over the limit already here.
  auto length = parser_->content_length();
  if (ec == http::error::body_limit || (!ec && length && *length > options_.body_limit))
    return RefuseTooLarge();
  if (ec) {
    Fail(ec, "read header");
    return Refuse(ValidationError("", "the request is not valid HTTP/1.1: " + ec.message()));
  }
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
}

void HttpSession::OnBody(beast::error_code ec) {
  reading_ = false;
  if (ec == http::error::body_limit) return RefuseTooLarge();
  if (ec) {
    Fail(ec, "read body");
    close_after_writes_ = true;
    if (slots_.empty()) Close();
    return;
  }
  Dispatch(parser_->release());
}

void HttpSession::Dispatch(Request&& request) {
  const bool keep_alive = request.keep_alive();
  auto slot = std::make_shared<Slot>();
  slots_.push_back(slot);
  in_flight_.fetch_add(1);
  handler_.Handle(std::move(request), [self = shared_from_this(), slot](Response&& response) {
    net::post(self->stream_.get_executor(), [self, slot, response = std::move(response)]() mutable {
      slot->response = std::move(response);
      self->WriteNext();
    });
  });
  if (!keep_alive) {
    close_after_writes_ = true;
    return;
  }
  if (slots_.size() < options_.max_pipelined) ReadHeader();
}

void HttpSession::Refuse(Response&& response) {
  response.keep_alive(false);
  response.prepare_payload();
  auto slot = std::make_shared<Slot>();
  slot->response = std::move(response);
  slots_.push_back(slot);
  in_flight_.fetch_add(1);
  close_after_writes_ = true;
  WriteNext();
}

void HttpSession::RefuseTooLarge() {
  Refuse(ErrorResponse(http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                       "the request body is larger than the limit",
                       "{\"limit_bytes\":" + std::to_string(options_.body_limit) + "}"));
}

void HttpSession::WriteNext() {
  if (writing_ || slots_.empty() || !slots_.front()->response) return;
  writing_ = true;
  auto response = std::make_shared<Response>(std::move(*slots_.front()->response));
  if (close_after_writes_ && slots_.size() == 1) response->keep_alive(false);
  const bool close = response->need_eof();
  http::async_write(stream_, *response,
                    [self = shared_from_this(), response, close](beast::error_code ec, std::size_t) {
                      self->OnWrite(ec, close);
                    });
}

void HttpSession::OnWrite(beast::error_code ec, bool close) {
  writing_ = false;
  slots_.pop_front();
  in_flight_.fetch_sub(1);
  if (ec) {
    Fail(ec, "write");
    return Close();
  }
  if (close || (close_after_writes_ && slots_.empty())) return Close();
  if (!reading_ && !close_after_writes_ && slots_.size() < options_.max_pipelined) ReadHeader();
  WriteNext();
}

void HttpSession::Close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

}  // namespace ticketd::api

#include "http_client.h"

#include <strings.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <type_traits>
#include <utility>  // before Beast: GCC 12 + C++20 needs it first

namespace ticketd::integration {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Long enough for a loaded CI machine, short enough that a hung server fails
// the test well before ctest's own timeout.
constexpr std::chrono::seconds kIoTimeout{30};

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

HttpResponse Failure(std::string_view what, const beast::error_code& ec) {
  HttpResponse response;
  response.body = std::string(what) + ": " + ec.message();
  return response;
}

// A connection that the server may have closed while idle: a retry on a new
// connection is safe because the server saw nothing of this request.
bool IsStaleConnection(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::eof;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (SameName(key, name)) return value;
  return {};
}

bool HttpResponse::HasHeader(std::string_view name) const {
  for (const auto& header : headers)
    if (SameName(header.first, name)) return true;
  return false;
}

struct HttpClient::Impl {
  std::string host;
  std::uint16_t port;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Runs queued async operations to completion (each has a timeout).
  void Run() {
    ioc.restart();
    ioc.run();
  }

  beast::error_code Connect() {
    Close();
    beast::error_code ec;
    net::ip::address address = net::ip::make_address(host, ec);
    if (ec) return ec;
    stream.emplace(ioc);
    stream->expires_after(kIoTimeout);
    stream->async_connect(tcp::endpoint(address, port), [&](beast::error_code e) { ec = e; });
    Run();
    if (ec) stream.reset();
    return ec;
  }

  void Close() {
    if (!stream) return;
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->socket().close(ignored);
    stream.reset();
    buffer.clear();
  }

  // Reads one response; `got_some` tells whether any byte of it arrived.
  // `to_head`: the answer to a HEAD request has a length but no body.
  beast::error_code ReadResponse(HttpResponse* out, bool* got_some, bool to_head) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 30);  // our own server: trust it
    parser.skip(to_head);
    beast::error_code ec;
    stream->expires_after(kIoTimeout);
    http::async_read(*stream, buffer, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    Run();
    *got_some = parser.got_some();
    if (ec) return ec;
    auto& message = parser.get();
    out->status = message.result_int();
    out->headers.clear();
    for (const auto& field : message)
      out->headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out->body = std::move(message.body());
    if (!message.keep_alive()) Close();
    return {};
  }

  template <class Message>
  HttpResponse Exchange(Message& request) {
    constexpr bool head_only = std::is_same_v<Message, http::request<http::empty_body>>;
    for (int attempt = 0; attempt < 2; ++attempt) {
      bool reused = stream.has_value();
      if (!stream) {
        if (auto ec = Connect()) return Failure("connect", ec);
      }
      beast::error_code write_ec;
      stream->expires_after(kIoTimeout);
      if constexpr (head_only) {
        http::request_serializer<http::empty_body> serializer(request);
        http::async_write_header(*stream, serializer,
                                 [&](beast::error_code e, std::size_t) { write_ec = e; });
        Run();
      } else {
        http::async_write(*stream, request, [&](beast::error_code e, std::size_t) { write_ec = e; });
        Run();
      }
      // Even when the write failed the server may have answered already
      // (e.g. 413 from the header alone), so always try to read.
      HttpResponse response;
      bool got_some = false;
      beast::error_code read_ec = ReadResponse(&response, &got_some, request.method() == http::verb::head);
      if (!read_ec) {
        if (head_only) Close();
        return response;
      }
      Close();
      if (reused && !got_some && IsStaleConnection(write_ec ? write_ec : read_ec)) continue;
      if (write_ec) return Failure("write", write_ec);
      return Failure("read", read_ec);
    }
    return Failure("request", net::error::connection_aborted);
  }

  template <class Message>
  void Prepare(Message& request, std::string_view method, std::string_view target, const Headers& headers) {
    http::verb verb = http::string_to_verb(beast::string_view(method.data(), method.size()));
    if (verb == http::verb::unknown) {
      request.method_string(beast::string_view(method.data(), method.size()));
    } else {
      request.method(verb);
    }
    request.target(beast::string_view(target.data(), target.size()));
    request.version(11);
    request.set(http::field::host, host + ":" + std::to_string(port));
    request.keep_alive(true);
    for (const auto& [name, value] : headers) request.insert(name, value);
  }
};

HttpClient::HttpClient(std::string host, std::uint16_t port) : impl_(std::make_unique<Impl>()) {
  impl_->host = std::move(host);
  impl_->port = port;
}

HttpClient::~HttpClient() { impl_->Close(); }

void HttpClient::Close() { impl_->Close(); }

HttpResponse HttpClient::Request(std::string_view method, std::string_view target, std::string_view body,
                                 const Headers& headers) {
  http::request<http::string_body> request;
  impl_->Prepare(request, method, target, headers);
  if (!body.empty()) {
    bool has_type = false;
    for (const auto& header : headers) has_type = has_type || SameName(header.first, "Content-Type");
    if (!has_type) request.set(http::field::content_type, "application/json");
    request.body() = std::string(body);
  }
  request.prepare_payload();
  return impl_->Exchange(request);
}

HttpResponse HttpClient::RequestHeadOnly(std::string_view method, std::string_view target,
                                         std::uint64_t content_length, const Headers& headers) {
  http::request<http::empty_body> request;
  impl_->Prepare(request, method, target, headers);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::content_length, std::to_string(content_length));
  return impl_->Exchange(request);
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace ticketd::integration

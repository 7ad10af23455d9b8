// HttpClient: the one synchronous HTTP/1.1 test client (Boost.Beast), for
// the end-to-end tests and the tests of the HTTP layer. One keep-alive
// connection to HOST:PORT, opened on first use and reopened when the server
// closed it. Transport failures never throw: they come back as status 0 with
// the reason in `body`. The raw calls (Connect, Send, Read, ReadsEof) send
// bytes as they are and never reconnect, for garbage, pipelining and
// half-sent requests. Every step has a deadline.
//
// Thread-safety: none; give each thread its own client.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ticketd::integration {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0: no response (connection failed); `body` says why
  int version = 0;  // of the response: 10 for HTTP/1.0, 11 for HTTP/1.1
  Headers headers;
  std::string body;

  // The first header named `name` (case-insensitive), or "" if absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // Whether the server keeps the connection open (Beast's rules for `version`).
  bool KeepAlive() const;
};

class HttpClient {
 public:
  HttpClient(std::string host, std::uint16_t port);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request. `method` is any token ("GET", "PATCH", "BREW").
  // A body, if not empty, is sent with Content-Type: application/json unless
  // `headers` names another Content-Type.
  HttpResponse Request(std::string_view method, std::string_view target, std::string_view body = {},
                       const Headers& headers = {});

  // Sends only the request head, announcing `content_length` body bytes that
  // never come: how a client learns the size limit without uploading.
  HttpResponse RequestHeadOnly(std::string_view method, std::string_view target, std::uint64_t content_length,
                               const Headers& headers = {});

  // Drops the connection; the next request opens a new one.
  void Close();

  // Raw use. Opens the connection now: false if refused or timed out.
  bool Connect();
  // Sends `bytes` exactly as given, on the open connection.
  ::testing::AssertionResult Send(std::string_view bytes);
  // Reads the next response (an interim 100 Continue counts as one).
  ::testing::AssertionResult Read(HttpResponse& response);
  // True if the server closed the connection before any further byte came.
  bool ReadsEof();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "GET target HTTP/1.1" with a Host header (and Connection: close unless
// `keep_alive`), as bytes for Send.
std::string GetRequest(std::string_view target, bool keep_alive = true);

// Percent-encodes every byte outside RFC 3986's unreserved set.
std::string UrlEncode(std::string_view text);

}  // namespace ticketd::integration

// HttpClient: a small synchronous HTTP/1.1 client (Boost.Beast) for the
// end-to-end tests. One keep-alive connection to 127.0.0.1:PORT, opened on
// first use and reopened when the server closed it. Transport failures never
// throw: they come back as status 0 with the reason in `body`.
//
// Thread-safety: none; give each thread its own client.
#pragma once

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
  Headers headers;
  std::string body;

  // The first header named `name` (case-insensitive), or "" if absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Percent-encodes every byte outside RFC 3986's unreserved set.
std::string UrlEncode(std::string_view text);

}  // namespace ticketd::integration

#include "sse_reader.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace ticketd::integration {
namespace {

using Clock = std::chrono::steady_clock;

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

SseReader::~SseReader() { Close(); }

void SseReader::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

::testing::AssertionResult SseReader::Open(std::uint16_t port, std::string_view target, const Headers& headers,
                                           int receive_buffer) {
  Close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return ::testing::AssertionFailure() << "socket: " << std::strerror(errno);
  if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    return ::testing::AssertionFailure() << "connect: " << std::strerror(errno);
  std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  if (!SendAll(fd_, request)) return ::testing::AssertionFailure() << "send: " << std::strerror(errno);
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  std::size_t end;
  while ((end = raw_.find("\r\n\r\n")) == std::string::npos)
    if (!Fill(deadline)) return ::testing::AssertionFailure() << "no response head; got: " << raw_;
  std::string_view head(raw_.data(), end);
  head_ = HttpResponse{};
  std::size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12) return ::testing::AssertionFailure() << "bad status line: " << status_line;
  head_.version = status_line.substr(0, 8) == "HTTP/1.0" ? 10 : 11;
  std::from_chars(status_line.data() + 9, status_line.data() + 12, head_.status);
  while (line_end != std::string_view::npos && line_end < head.size()) {
    std::size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string_view line = head.substr(start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    head_.headers.emplace_back(std::string(line.substr(0, colon)), Trim(line.substr(colon + 1)));
  }
  raw_.erase(0, end + 4);
  chunked_ = strcasecmp(head_.Header("Transfer-Encoding").c_str(), "chunked") == 0;
  if (head_.status != 200) {
    std::size_t length = 0;
    std::string text = head_.Header("Content-Length");
    std::from_chars(text.data(), text.data() + text.size(), length);
    while (raw_.size() < length && Fill(deadline)) {
    }
    head_.body = raw_.substr(0, length);
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult SseReader::OpenStream(std::uint16_t port, std::string_view token,
                                                 std::optional<std::string> last_event_id) {
  Headers headers{{"Authorization", "Bearer " + std::string(token)}};
  if (last_event_id) headers.emplace_back("Last-Event-ID", *last_event_id);
  ::testing::AssertionResult opened = Open(port, "/api/v1/stream", headers);
  if (!opened) return opened;
  if (head_.status != 200)
    return ::testing::AssertionFailure() << "stream answered " << head_.status << ": " << head_.body;
  return ::testing::AssertionSuccess();
}

bool SseReader::Fill(Clock::time_point deadline) {
  if (fd_ < 0 || eof_) return false;
  for (;;) {
    // A deadline already passed still looks once at what has arrived.
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left < 0) left = 0;
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char buffer[16384];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof_ = true;
      return false;
    }
    bytes_received_ += static_cast<std::uint64_t>(n);
    raw_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
}

void SseReader::Dechunk() {
  if (!chunked_) {
    body_ += raw_;
    raw_.clear();
    return;
  }
  while (!last_chunk_) {
    std::size_t line_end = raw_.find("\r\n");
    if (line_end == std::string::npos) return;
    std::size_t size = 0;
    std::from_chars(raw_.data(), raw_.data() + line_end, size, 16);
    if (size == 0) {
      last_chunk_ = true;
      raw_.clear();
      return;
    }
    if (raw_.size() < line_end + 2 + size + 2) return;
    body_.append(raw_, line_end + 2, size);
    raw_.erase(0, line_end + 2 + size + 2);
  }
}

std::optional<SseEvent> SseReader::TakeBlock() {
  for (;;) {
    std::size_t end = body_.find("\n\n");
    if (end == std::string::npos) return std::nullopt;
    std::string block = body_.substr(0, end);
    body_.erase(0, end + 2);
    SseEvent event;
    bool any = false;
    std::size_t start = 0;
    while (start <= block.size()) {
      std::size_t line_end = block.find('\n', start);
      std::string_view line(block.data() + start,
                            (line_end == std::string::npos ? block.size() : line_end) - start);
      start = line_end == std::string::npos ? block.size() + 1 : line_end + 1;
      if (line.empty()) continue;
      if (line.front() == ':') {
        ++comments_;
        continue;
      }
      std::size_t colon = line.find(':');
      std::string_view name = line.substr(0, colon);
      std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (name == "id") event.id = value, any = true;
      if (name == "event") event.event = value;
      if (name == "data") event.data += value, any = true;
      if (name == "retry") event.retry = value;
    }
    if (any) return event;
  }
}

std::optional<SseEvent> SseReader::Next(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    Dechunk();
    if (std::optional<SseEvent> event = TakeBlock()) return event;
    if (!Fill(deadline)) return std::nullopt;
  }
}

std::optional<SseEvent> SseReader::NextEvent(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    std::optional<SseEvent> event = Next(left.count() > 0 ? left : std::chrono::milliseconds(0));
    if (!event || !event->data.empty()) return event;
  }
}

bool SseReader::WaitClosed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Fill(deadline)) {
    Dechunk();
    while (TakeBlock()) {
    }
  }
  Dechunk();
  return eof_;
}

}  // namespace ticketd::integration

#include "clamd_client.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ticketd::app {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::size_t kMaxReplyBytes = 4096;

class Connection {
 public:
  Connection(const std::string& path, std::chrono::milliseconds timeout) : deadline_(Clock::now() + timeout) {
    sockaddr_un address{};
    if (path.size() >= sizeof(address.sun_path)) return;
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.data(), path.size());
    fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) Close();
  }
  ~Connection() { Close(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool open() const { return fd_ >= 0; }

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      if (!Wait(POLLOUT)) return false;
      ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent < 0 && errno == EINTR) continue;
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // Reads up to the NUL that ends a z-command's reply.
  std::optional<std::string> ReadReply() {
    std::string reply;
    char buffer[512];
    while (reply.size() < kMaxReplyBytes) {
      if (!Wait(POLLIN)) return std::nullopt;
      ssize_t got = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      reply.append(buffer, static_cast<std::size_t>(got));
      if (std::size_t nul = reply.find('\0'); nul != std::string::npos) return reply.substr(0, nul);
    }
    return reply.empty() ? std::nullopt : std::optional<std::string>(reply);
  }

 private:
  using Clock = std::chrono::steady_clock;

  bool Wait(short events) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
      if (left <= 0) return false;
      pollfd entry{fd_, events, 0};
      int ready = ::poll(&entry, 1, static_cast<int>(left));
      if (ready < 0 && errno == EINTR) continue;
      return ready > 0;
    }
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  int fd_ = -1;
  Clock::time_point deadline_;
};

}  // namespace

struct ClamdStream::Impl {
  Impl(const std::string& path, std::chrono::milliseconds timeout) : connection(path, timeout) {}
  Connection connection;
  bool ok = false;
};

ClamdStream::ClamdStream(const std::string& socket_path, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(socket_path, timeout)) {
  impl_->ok = impl_->connection.open() && impl_->connection.Send(std::string_view("zINSTREAM\0", 10));
}

ClamdStream::~ClamdStream() = default;

void ClamdStream::Send(std::string_view bytes) {
  for (std::size_t at = 0; impl_->ok && at < bytes.size(); at += kChunkBytes) {
    std::string_view chunk = bytes.substr(at, kChunkBytes);
    std::uint32_t length = htonl(static_cast<std::uint32_t>(chunk.size()));
    impl_->ok = impl_->connection.Send(std::string_view(reinterpret_cast<const char*>(&length), 4)) &&
                impl_->connection.Send(chunk);
  }
}

Result<ScanVerdict, Status> ClamdStream::Finish() {
  if (!impl_->connection.open()) return Err{Status::Unavailable("the malware scanner (clamd) is unreachable")};
  const std::uint32_t end = 0;
  bool sent = impl_->ok && impl_->connection.Send(std::string_view(reinterpret_cast<const char*>(&end), 4));
  std::optional<std::string> reply = sent ? impl_->connection.ReadReply() : std::nullopt;
  impl_->ok = false;
  if (!reply) return Err{Status::Unavailable("the malware scanner (clamd) did not answer")};
  // "stream: OK", "stream: Name.Of.Signature FOUND", "... ERROR".
  std::string_view text = *reply;
  if (text.ends_with(" OK")) return ScanVerdict{};
  if (text.ends_with(" FOUND")) {
    text.remove_suffix(6);
    if (std::size_t colon = text.find(": "); colon != std::string_view::npos) text.remove_prefix(colon + 2);
    return ScanVerdict{std::string(text)};
  }
  return Err{Status::Unavailable("the malware scanner (clamd) failed: " + *reply)};
}

Result<ScanVerdict, Status> ClamdScan(const std::string& socket_path, std::string_view bytes,
                                      std::chrono::milliseconds timeout) {
  ClamdStream stream(socket_path, timeout);
  stream.Send(bytes);
  return stream.Finish();
}

}  // namespace ticketd::app

// --smtp spool: mails as .eml files a person can open.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "ticketd/mail/transport.h"

namespace ticketd::mail {
namespace {

// "<t.x.e.y.r.z@host>" -> "t.x.e.y.r.z@host": message ids are our own, but
// anything outside [A-Za-z0-9.@_-] becomes '_' all the same.
std::string FileNameOf(const std::string& message_id) {
  std::string name;
  for (char c : message_id) {
    if (c == '<' || c == '>') continue;
    const bool safe = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '@' || c == '-' || c == '_';
    name.push_back(safe ? c : '_');
  }
  return name + ".eml";
}

class SpoolTransport final : public Transport {
 public:
  explicit SpoolTransport(std::filesystem::path dir) : dir_(std::move(dir)) {}

  DeliveryResult Deliver(const OutgoingMail& mail, const std::string& message) override {
    const std::string name = FileNameOf(mail.message_id);
    const std::filesystem::path tmp = dir_ / "tmp" / name, final_path = dir_ / "outbox" / name;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return Retry("open", errno);
    std::size_t written = 0;
    while (written < message.size()) {
      ssize_t n = ::write(fd, message.data() + written, message.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int e = errno;
        ::close(fd);
        return Retry("write", e);
      }
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
      int e = errno;
      ::close(fd);
      return Retry("fsync", e);
    }
    ::close(fd);
    if (std::rename(tmp.c_str(), final_path.c_str()) != 0) return Retry("rename", errno);
    return DeliveryResult{DeliveryOutcome::kSent, ""};
  }

  void ForgetPersonalData(const std::string& tag) override {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / "outbox", ec)) {
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line) && line != "\r" && !line.empty()) {
        if (!line.starts_with("X-Ticketd-Personal-Data:")) continue;
        if ((line + " ").find(" " + tag + " ") != std::string::npos ||
            (line.ends_with("\r") && line.find(" " + tag + "\r") != std::string::npos)) {
          in.close();
          std::filesystem::remove(entry.path(), ec);
        }
        break;
      }
    }
  }

 private:
  static DeliveryResult Retry(const char* what, int error) {
    return DeliveryResult{DeliveryOutcome::kRetry, std::string("spool ") + what + ": " + std::strerror(error)};
  }
  std::filesystem::path dir_;
};

}  // namespace

Status MakeSpoolTransport(const std::string& dir, std::unique_ptr<Transport>* transport) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir) / "outbox", ec);
  if (!ec) std::filesystem::create_directories(std::filesystem::path(dir) / "tmp", ec);
  if (ec) return Status::IOError("cannot create the mail spool " + dir + ": " + ec.message());
  *transport = std::make_unique<SpoolTransport>(dir);
  return Status::Ok();
}

}  // namespace ticketd::mail

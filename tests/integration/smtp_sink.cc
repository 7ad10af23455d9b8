#include "smtp_sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "poll_until.h"

namespace ticketd::integration {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Base64Decode(const std::string& text) {
  std::string clean;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) clean.push_back(c);
  std::string out(clean.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (n < 0) return "";
  std::size_t size = static_cast<std::size_t>(n);
  if (clean.size() >= 1 && clean[clean.size() - 1] == '=') --size;
  if (clean.size() >= 2 && clean[clean.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

bool Accepts(std::uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

}  // namespace

std::uint16_t FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

ReceivedMail ParseMail(const std::string& raw) {
  std::string text = raw;
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  ReceivedMail mail;
  const std::size_t header_end = text.find("\n\n");
  std::istringstream headers(text.substr(0, header_end));
  std::string line, name;
  while (std::getline(headers, line)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      mail.headers[name] += line;
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    name = Lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    mail.headers[name] = value;
  }
  mail.rcpt_to = mail.Header("x-rcptto");
  // Each part: its headers, a blank line, base64 up to the next boundary.
  for (const auto& [type, out] : {std::pair{"text/plain", &mail.text}, std::pair{"text/html", &mail.html}}) {
    const auto at = text.find(std::string("Content-Type: ") + type);
    if (at == std::string::npos) continue;
    const auto body = text.find("\n\n", at);
    const auto end = text.find("\n--", body);
    *out = Base64Decode(text.substr(body + 2, end - body - 2));
  }
  return mail;
}

SmtpSink::SmtpSink() {
  char dir[] = "/tmp/ticketd-smtp-sink-XXXXXX";
  maildir_ = mkdtemp(dir) ? std::string(dir) + "/Maildir" : "";
}

SmtpSink::~SmtpSink() {
  Stop();
  if (!maildir_.empty()) std::filesystem::remove_all(std::filesystem::path(maildir_).parent_path());
}

bool SmtpSink::Start(std::uint16_t port) {
  port_ = port ? port : FreeLoopbackPort();
  const std::string listen = "127.0.0.1:" + std::to_string(port_);
  const std::string handler_dir = TICKETD_SMTP_SINK_DIR;  // smtp_sink_handler.py
  pid_ = fork();
  if (pid_ == 0) {
    setenv("PYTHONPATH", handler_dir.c_str(), 1);
    execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
          "smtp_sink_handler.RejectingMailbox", maildir_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid_ > 0 && test_support::PollUntil([&] { return Accepts(port_); });
}

void SmtpSink::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::vector<ReceivedMail> SmtpSink::Mails() const {
  std::vector<ReceivedMail> mails;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(maildir_ + "/new", ec)) {
    std::ifstream in(entry.path());
    std::stringstream raw;
    raw << in.rdbuf();
    mails.push_back(ParseMail(raw.str()));
  }
  return mails;
}

}  // namespace ticketd::integration

// SmtpSink: a real SMTP server for the mail tests: Debian's aiosmtpd
// (`/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c HANDLER MAILDIR`)
// with the Mailbox handler (plus a 550 for "reject*" recipients, see
// smtp_sink_handler.py), started and stopped by the test. Received mails are
// read back from the Maildir and parsed enough to assert on: headers, the
// envelope recipient (aiosmtpd's X-RcptTo) and the decoded text/html parts.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ticketd::integration {

struct ReceivedMail {
  std::map<std::string, std::string> headers;  // lower-case name -> unfolded value
  std::string rcpt_to;                          // the envelope recipient
  std::string text, html;                       // decoded parts
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A loopback port nobody listens on right now.
std::uint16_t FreeLoopbackPort();

class SmtpSink {
 public:
  SmtpSink();  // a fresh Maildir; not started
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  // Starts on `port` (0: a free one) and waits until it accepts connections.
  bool Start(std::uint16_t port = 0);
  void Stop();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  std::vector<ReceivedMail> Mails() const;

 private:
  std::string maildir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

ReceivedMail ParseMail(const std::string& raw);

}  // namespace ticketd::integration

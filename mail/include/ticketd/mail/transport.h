// Where mails go (--smtp): a spool directory of .eml files, or an SMTP relay
// through libcurl (STARTTLS, AUTH, smtps). One Transport belongs to the
// mailer's delivery thread: Deliver is not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ticketd/base/status.h"
#include "ticketd/mail/message.h"

namespace ticketd::mail {

enum class DeliveryOutcome { kSent, kRetry, kPermanent };
struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kSent;
  std::string error;  // for the notification log; never holds the recipient's address
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Hands one mail over. kRetry: try again later (relay down, 4xx);
  // kPermanent: a 5xx answer for this recipient.
  virtual DeliveryResult Deliver(const OutgoingMail& mail, const std::string& message) = 0;
  // Hands several mails over, one result each in order. A transport may make
  // them durable together (the spool: one sync per call); by default each
  // goes by Deliver (the relay: over one kept connection).
  struct Item {
    const OutgoingMail* mail;
    std::string message;
  };
  virtual std::vector<DeliveryResult> DeliverAll(const std::vector<Item>& items) {
    std::vector<DeliveryResult> results;
    results.reserve(items.size());
    for (const Item& item : items) results.push_back(Deliver(*item.mail, item.message));
    return results;
  }
  // Erasure: removes kept copies of mails holding `tag`'s personal data
  // (the spool's files); a relay keeps none. Safe beside Deliver.
  virtual void ForgetPersonalData(const std::string& tag) { (void)tag; }
};

enum class StartTls { kRequired, kOpportunistic, kOff };
struct SmtpConfig {
  std::string username, password;
  StartTls starttls = StartTls::kOpportunistic;
};
// `key=value` lines (username, password, starttls); '#' comments. InvalidArgument naming the line.
Status ParseSmtpConfig(const std::string& text, SmtpConfig* config);
Status LoadSmtpConfig(const std::string& path, SmtpConfig* config);

// How the spool makes a round's files durable (mail/src/round_sync.h):
// kAuto takes one syncfs() while the machine's dirty page cache is small,
// else one fdatasync() per file; the other two force one way (tests).
enum class SpoolSync { kAuto, kWholeFilesystem, kEachFile };
// Writes each mail to DIR/outbox/<message id>.eml via DIR/tmp and rename(),
// so a reader never sees half a file. Creates the directories.
// `before_sync` (tests: a failpoint) runs in every round after its files are
// written and before they are synced.
Status MakeSpoolTransport(const std::string& dir, std::unique_ptr<Transport>* transport,
                          SpoolSync sync = SpoolSync::kAuto, std::function<void()> before_sync = {});
// `url` is smtp://HOST:PORT or smtps://HOST:PORT.
Status MakeSmtpTransport(const std::string& url, const SmtpConfig& config, std::unique_ptr<Transport>* transport);

}  // namespace ticketd::mail

// Mailer: outbound email (MAIL.md) as a projection of the event log.
//
// The notifier thread tails the log from a durable cursor (key
// "mail/cursor"), asks the pure rules (domain/mail_rules.h) who gets which
// mail, and writes the new queue entries (app/src/mail_entry.h), the quota
// counters and the cursor in ONE RocksDB batch of the mail queue's own
// store (DATA_DIR/mail-queue; until session 7 the log's metadata, moved at
// start): a crash re-reads at most events whose entries were not written,
// so replaying never queues a mail twice. It only reads up to the position whose batch the read models
// have applied (the engine's commit listener says which).
//
// The delivery thread renders queued mails (templates, current read-model
// values, the event's text read back from the log) and hands them to the
// transport (spool files or SMTP); retries back off 2 s, 4 s, ... up to
// 5 min; a 5xx for one recipient fails that mail only. Requests never wait
// for either thread.
//
// The morning digest: at 07:00 UTC (the injected clock) the notifier queues
// each tenant's digest once per day (meta "mail/digest/{tenant}/{date}",
// written with its entries), and at start-up for a day whose 07:00 passed.
// SendDigest does the same on request.
//
// Threading: Start/Stop from the owner; the rest from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ticketd/base/status.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/mail_rules.h"
#include "ticketd/domain/time.h"

namespace ticketd::app {

class Engine;
class Metrics;

struct MailerOptions {
  std::string smtp = "spool";  // spool | smtp://HOST:PORT | smtps://HOST:PORT ("off": do not start one)
  std::string smtp_config;     // file of username=/password=/starttls= lines
  std::string mail_from = "ticketd@localhost";
  std::string public_url = "http://127.0.0.1:8080";  // links in mails
  std::string spool_dir;       // default DATA_DIR/mail
  std::function<domain::Timestamp()> clock;  // default: the system clock
  std::chrono::milliseconds first_retry{2000};
  std::chrono::milliseconds max_retry{300000};
};

// One row of GET /api/v1/notifications.
struct NotificationView {
  domain::Id id;
  std::optional<domain::Id> event_id, ticket_id;
  std::string template_name, recipient, status;
  std::optional<std::string> reason, last_error;
  std::int64_t attempts = 0;
  std::string message_id;
  domain::Timestamp queued_at = 0;
  std::optional<domain::Timestamp> sent_at;
  std::optional<domain::Timestamp> next_attempt_at;  // queued: when the next try is due (backoff)
};
struct NotificationFilter {
  std::optional<domain::Id> ticket_id;
  std::optional<std::string> status;  // queued | sent | failed | dropped
};

struct DigestSendResult {
  Status status;              // storage failure, or Unavailable after Stop
  bool already_sent = false;  // this tenant's digest of that date went out before
  std::string date;
  std::int64_t recipients = 0;
  bool skipped = false;  // nothing open: no mail
};

// What a tenant's template for one kind is: its override or the default.
struct MailTemplateView {
  domain::MailTemplate kind = domain::MailTemplate::kTicketCreated;
  std::string subject, text, html;
  bool custom = false;
};

class Mailer {
 public:
  // InvalidArgument for a bad --smtp or --smtp-config; IOError if the spool
  // cannot be created or the cursor not read.
  static Status Start(const MailerOptions& options, Engine& engine, Metrics& metrics, std::unique_ptr<Mailer>* mailer);
  ~Mailer();
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  // The base of the links in mails, once the listening port is known.
  void SetPublicUrl(std::string url);

  // Queued mails stay queued (durably) for the next start. Idempotent.
  void Stop();

  Status ListNotifications(const domain::Id& tenant_id, const NotificationFilter& filter,
                           std::vector<NotificationView>* out) const;
  // Queues the tenant's digest of `day` (midnight UTC); `done` runs on the
  // notifier thread (or inline after Stop).
  void SendDigest(const domain::Id& tenant_id, domain::Timestamp day, std::function<void(DigestSendResult)> done);

  // ACCESS.md usage.emails_this_month: the tenant's mails of this UTC month
  // counted against max_emails_month (queued, sent or failed; not dropped).
  std::int64_t EmailsThisMonth(const domain::Id& tenant_id) const;

  // The tenant's template of one kind: its override (EmailTemplateSet events
  // of its directory stream) while email_templates is on, else the default.
  // `fresh` reads the log instead of the notifier's cache (read your writes).
  MailTemplateView Template(const domain::Id& tenant_id, domain::MailTemplate kind, bool fresh = false) const;

  struct Impl;  // app/src/mailer_impl.h: shared by the mailer's own files only

 private:
  explicit Mailer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::app

// One notification: a mail the notifier queued (or recorded as dropped),
// stored in the data dir's RocksDB metadata under
//   mail/n/{tenant uuid}/{sequence, 16 hex digits}  -> EncodeMailEntry bytes
// (persistent format: never reuse a prefix or renumber a field). Entries
// hold ids only, never personal text: subject, names, comment bodies and the
// recipient's address are looked up when the mail is rendered or listed, so
// an erasure leaves nothing of the erased subject here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/id.h"
#include "ticketd/domain/mail_rules.h"
#include "ticketd/domain/time.h"

namespace ticketd::app {

// Persistent values: never renumber.
enum class MailStatus { kQueued = 0, kSent = 1, kFailed = 2, kDropped = 3 };
std::string_view ToString(MailStatus status);
std::optional<MailStatus> ParseMailStatus(std::string_view text);

struct MailEntry {
  domain::Id id;  // deterministic: the same (event, recipient) gets the same id
  domain::Id tenant_id;
  std::uint64_t sequence = 0;  // queue order, part of the key
  bool digest = false;
  domain::Timestamp digest_day = 0;  // digest: midnight UTC of its date
  std::optional<domain::Id> event_id;   // ticket mails
  std::uint64_t position = 0;           // ticket mails: the event's log position
  std::optional<domain::Id> ticket_id;  // ticket mails
  domain::MailTemplate kind = domain::MailTemplate::kTicketCreated;
  domain::Id recipient_id;
  MailStatus status = MailStatus::kQueued;
  std::optional<domain::MailDropReason> reason;
  std::int64_t attempts = 0;
  std::string last_error;  // never holds the recipient's address
  std::string message_id;
  domain::Timestamp queued_at = 0;
  std::optional<domain::Timestamp> sent_at;
  domain::Timestamp next_attempt_at = 0;
  // In memory only (not encoded): the event's time, from which the delivery
  // hold's bound counts (mail_hold.h); 0 for entries loaded at start.
  domain::Timestamp committed_at = 0;
};

inline constexpr std::string_view kMailEntryPrefix = "mail/n/";
std::string MailEntryKey(const MailEntry& entry);
std::string MailEntryTenantPrefix(const domain::Id& tenant_id);
std::string EncodeMailEntry(const MailEntry& entry);
[[nodiscard]] bool DecodeMailEntry(std::string_view bytes, MailEntry* entry);

// The deterministic id of the mail of (event or digest key, recipient).
domain::Id MailEntryId(std::string_view what, const domain::Id& recipient_id);

}  // namespace ticketd::app

#include "mail_entry.h"

#include <cstdio>

#include "ticketd/base/sha256.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::app {

using projections::BinaryReader;
using projections::BinaryWriter;

namespace {
constexpr std::uint64_t kEntryFormat = 1;
}

std::string_view ToString(MailStatus status) {
  switch (status) {
    case MailStatus::kQueued:
      return "queued";
    case MailStatus::kSent:
      return "sent";
    case MailStatus::kFailed:
      return "failed";
    case MailStatus::kDropped:
      return "dropped";
  }
  return "queued";
}

std::optional<MailStatus> ParseMailStatus(std::string_view text) {
  for (MailStatus s : {MailStatus::kQueued, MailStatus::kSent, MailStatus::kFailed, MailStatus::kDropped})
    if (ToString(s) == text) return s;
  return std::nullopt;
}

std::string MailEntryTenantPrefix(const domain::Id& tenant_id) {
  return std::string(kMailEntryPrefix) + tenant_id.ToString() + "/";
}

std::string MailEntryKey(const MailEntry& entry) {
  char sequence[17];
  std::snprintf(sequence, sizeof sequence, "%016llx", static_cast<unsigned long long>(entry.sequence));
  return MailEntryTenantPrefix(entry.tenant_id) + sequence;
}

std::string EncodeMailEntry(const MailEntry& e) {
  BinaryWriter out;
  out.U64(kEntryFormat);
  out.Id(e.id);
  out.Id(e.tenant_id);
  out.U64(e.sequence);
  out.Bool(e.digest);
  out.I64(e.digest_day);
  out.OptionalId(e.event_id);
  out.U64(e.position);
  out.OptionalId(e.ticket_id);
  out.U64(static_cast<std::uint64_t>(e.kind));
  out.Id(e.recipient_id);
  out.U64(static_cast<std::uint64_t>(e.status));
  out.OptionalI64(e.reason ? std::optional<std::int64_t>(static_cast<std::int64_t>(*e.reason)) : std::nullopt);
  out.I64(e.attempts);
  out.Bytes(e.last_error);
  out.Bytes(e.message_id);
  out.I64(e.queued_at);
  out.OptionalI64(e.sent_at);
  out.I64(e.next_attempt_at);
  return out.Take();
}

bool DecodeMailEntry(std::string_view bytes, MailEntry* e) {
  BinaryReader in(bytes);
  std::uint64_t format = 0, kind = 0, status = 0;
  std::optional<std::int64_t> reason;
  if (!in.U64(&format) || format != kEntryFormat) return false;
  bool ok = in.Id(&e->id) && in.Id(&e->tenant_id) && in.U64(&e->sequence) && in.Bool(&e->digest) &&
            in.I64(&e->digest_day) && in.OptionalId(&e->event_id) && in.U64(&e->position) &&
            in.OptionalId(&e->ticket_id) && in.U64(&kind) && in.Id(&e->recipient_id) && in.U64(&status) &&
            in.OptionalI64(&reason) && in.I64(&e->attempts) && in.Bytes(&e->last_error) &&
            in.Bytes(&e->message_id) && in.I64(&e->queued_at) && in.OptionalI64(&e->sent_at) &&
            in.I64(&e->next_attempt_at);
  if (!ok || kind >= domain::kMailTemplates.size() || status > 3 || (reason && (*reason < 0 || *reason > 2)))
    return false;
  e->kind = static_cast<domain::MailTemplate>(kind);
  e->status = static_cast<MailStatus>(status);
  e->reason = reason ? std::optional(static_cast<domain::MailDropReason>(*reason)) : std::nullopt;
  return true;
}

domain::Id MailEntryId(std::string_view what, const domain::Id& recipient_id) {
  std::string input(what);
  input.append(recipient_id.AsBytes());
  const auto digest = Sha256(input);
  domain::Id id;
  std::copy(digest.begin(), digest.begin() + 16, id.bytes.begin());
  id.bytes[6] = static_cast<std::uint8_t>((id.bytes[6] & 0x0F) | 0x50);  // version 5 style: name-based
  id.bytes[8] = static_cast<std::uint8_t>((id.bytes[8] & 0x3F) | 0x80);
  return id;
}

}  // namespace ticketd::app

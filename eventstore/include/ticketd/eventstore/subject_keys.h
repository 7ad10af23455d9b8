// Crypto-shredding: personal data in the log is sealed with a data key per
// subject (each ticket, each user), and erasing a subject destroys its key.
//
// Key ids name the subject: "ticket:<uuid>" (subject, description, comment
// bodies and deletion snapshot of that ticket) and "user:<uuid>" (the user's
// name and email). Data keys live in the log's `subject_keys` column family,
// wrapped (AES-256-GCM) by the master key, which never enters the data dir's
// RocksDB files.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ticketd/domain/events.h"
#include "ticketd/base/status.h"

namespace ticketd::eventstore {

using MasterKey = std::array<std::uint8_t, 32>;
using DataKey = std::array<std::uint8_t, 32>;

// Shown for sealed text whose key this reader does not have (no master key
// given, e.g. `ticket-replay` without --master-key-file). Erased text reads
// domain::kErasedText instead.
inline constexpr std::string_view kSealedText = "[encrypted]";

// Where decoding finds data keys (the log's key vault implements it).
class TextKeys {
 public:
  enum class Found { kKey, kErased, kUnknown };
  virtual ~TextKeys() = default;
  // Thread-safe.
  virtual Found FindKey(std::string_view key_id, DataKey* key) const = 0;
};

// The key id whose data key seals `event`'s personal text, or the key an
// erasure event destroys; empty for events without personal data.
std::string SubjectKeyId(const domain::DomainEvent& event);
// True for UserErased / TicketErased.
bool IsErasure(const domain::EventPayload& payload);

// Seals a whole blob under the master key (AES-256-GCM, random nonce, bound
// to `aad`), for files outside the log that hold personal data (read-model
// snapshots). Open fails with Corruption when the bytes or aad differ or the
// key is another one.
Status SealWithMasterKey(const MasterKey& key, std::string_view aad, std::string_view plain, std::string* sealed);
Status OpenWithMasterKey(const MasterKey& key, std::string_view aad, std::string_view sealed, std::string* plain);

// The master key: from `hex` (64 hex digits, e.g. env TICKETD_MASTER_KEY) if
// not empty, else from `file` (64 hex digits and a newline). If the file does
// not exist and `create` is set, a new random key is written there (mode
// 0600, atomically) and *generated is set: the caller must tell the operator
// to back it up separately. InvalidArgument for a malformed key, NotFound for
// a missing file when `create` is false.
Status LoadMasterKey(const std::string& hex, const std::string& file, bool create, MasterKey* key,
                     bool* generated);

}  // namespace ticketd::eventstore

// The audit chain step: SHA-256(previous hash || envelope bytes as stored).
// Thread-safe.
#include "ticketd/base/encoding.h"
#include "ticketd/base/sha256.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {

Hash ChainHash(const Hash& previous, std::string_view envelope) {
  return Sha256({std::string_view(reinterpret_cast<const char*>(previous.data()), previous.size()), envelope});
}

std::string HashToHex(const Hash& hash) { return HexEncode(hash); }

}  // namespace ticketd::eventstore

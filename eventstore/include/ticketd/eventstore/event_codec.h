// Encoding between domain events and the protobuf EventEnvelope of schemas/.
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ticketd/base/status.h"
#include "ticketd/eventstore/event_log.h"
#include "ticketd/eventstore/subject_keys.h"

namespace ticketd::eventstore {

// Schema versions are per payload (see docs/schema-evolution.md): 1 for
// every payload but comment.added, which is at 2.

// Serializes `event` at `position` into EventEnvelope bytes, personal text in
// plain (the log itself seals it; see subject_keys.h).
std::string EncodeEnvelope(const EventToAppend& event, std::uint64_t position);

// Parses EventEnvelope bytes (upcasting older payload versions) into `out`
// (all fields but hash). Sealed personal text is opened with `keys`; without
// them, or without its key, it reads kSealedText, and domain::kErasedText once
// the key is destroyed. Corruption on bytes that are not a valid envelope,
// name an unknown type, or hold sealed text that does not authenticate; never
// throws or crashes on any input.
Status DecodeEnvelope(std::string_view bytes, RecordedEvent* out, const TextKeys* keys = nullptr);

// The envelope as one line of JSON (protobuf's canonical JSON mapping, field
// names as in the .proto), for `ticket-replay export` and `consume`.
Status EnvelopeToJson(std::string_view bytes, std::string* json);

}  // namespace ticketd::eventstore

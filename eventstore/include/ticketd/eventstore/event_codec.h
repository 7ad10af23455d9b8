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

// Envelope versions (events.proto): the log writes version 2 (ids as 16 raw
// bytes) and reads both; version 1 (ids as UUID text) is the public form the
// Kafka stream and `ticket-replay export` carry.

// Serializes `event` at `position` into EventEnvelope bytes (version 2),
// personal text in plain (the log itself seals it; see subject_keys.h).
std::string EncodeEnvelope(const EventToAppend& event, std::uint64_t position);

// Parses EventEnvelope bytes (upcasting older payload versions) into `out`
// (all fields but hash). Sealed personal text is opened with `keys`; without
// them, or without its key, it reads kSealedText, and domain::kErasedText once
// the key is destroyed. Corruption on bytes that are not a valid envelope,
// name an unknown type, or hold sealed text that does not authenticate; never
// throws or crashes on any input.
Status DecodeEnvelope(std::string_view bytes, RecordedEvent* out, const TextKeys* keys = nullptr);

// The public (version 1) bytes of a stored envelope: converted from version
// 2, or the same bytes. Corruption on bytes that do not parse or hold
// malformed ids.
Status PublicEnvelope(std::string_view stored, std::string* out);

// The envelope in its public version 1 form as one line of JSON (protobuf's canonical JSON mapping, field
// names as in the .proto), for `ticket-replay export` and `consume`.
Status EnvelopeToJson(std::string_view bytes, std::string* json);

}  // namespace ticketd::eventstore

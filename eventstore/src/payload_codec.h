// Payload mapping between domain::EventPayload and the EventEnvelope oneof,
// including the upcasters from older payload versions (today: only v1).
#pragma once

#include "personal_text.h"
#include "ticketd/domain/events.h"
#include "ticketd/base/status.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

// The schema version the encoder writes for this payload (comment.added: 2).
std::uint32_t PayloadSchemaVersion(const domain::EventPayload& payload);
void EncodePayload(const domain::EventPayload& payload, TextSealer& text, v1::EventEnvelope* envelope);
// Corruption on a missing payload, a malformed id or an unknown enum value.
// Texts that do not authenticate are reported by text.status().
Status DecodePayload(const v1::EventEnvelope& envelope, TextOpener& text, domain::EventPayload* payload);

}  // namespace ticketd::eventstore

// The envelope's five ids (event, tenant, stream, actor, correlation) in
// both envelope versions (events.proto): version 2 (raw 16 bytes, what the
// log writes) and version 1 (UUID text: older records, and the public form
// of the Kafka stream and `ticket-replay export`). Pure; thread-safe.
#pragma once

#include "ticketd/base/status.h"
#include "ticketd/eventstore/event_log.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

// Version 2: sets the raw id fields (the text ones stay empty).
void WriteEnvelopeIds(const EventToAppend& event, v1::EventEnvelope* envelope);

// Either version into `out` (event_id, correlation_id, event.tenant_id,
// event.stream_id, event.actor_id); version 1 through its upcaster
// (upcast.h). Corruption on a malformed id, or an envelope mixing both.
Status ReadEnvelopeIds(const v1::EventEnvelope& envelope, RecordedEvent* out);

// Rewrites a version 2 envelope in place into version 1 (text ids, raw
// ones cleared): serialized, the bytes a version 1 encoder would have
// written for the same event. A version 1 envelope is left as it is.
// Corruption as ReadEnvelopeIds.
Status ToVersion1Ids(v1::EventEnvelope* envelope);

bool IsVersion2(const v1::EventEnvelope& envelope);

// The tenant id alone, of either version (payloads that embed it); false if
// malformed.
bool EnvelopeTenantId(const v1::EventEnvelope& envelope, domain::Id* tenant_id);

}  // namespace ticketd::eventstore

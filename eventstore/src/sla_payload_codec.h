// The SLA events (issue 12: policies, auto-close setting, breaches,
// escalations) <-> their EventEnvelope oneof fields (90-99). Called by
// payload_codec.cc.
#pragma once

#include "ticketd/base/status.h"
#include "ticketd/domain/events.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

void EncodeSlaPayload(const domain::SlaDirectoryEvent& event, v1::EventEnvelope* env);
void EncodeSlaPayload(const domain::SlaTicketEvent& event, v1::EventEnvelope* env);
// For an envelope whose payload is one of the SLA fields; Corruption on a
// malformed id or enum value.
Status DecodeSlaPayload(const v1::EventEnvelope& env, domain::EventPayload* payload);

}  // namespace ticketd::eventstore

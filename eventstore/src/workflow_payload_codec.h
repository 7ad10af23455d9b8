// Workflow events (domain::WorkflowEvent: catalog entries, reopen policy) <->
// the envelope's oneof fields 80-89. Called by payload_codec.cc.
#pragma once

#include "ticketd/base/status.h"
#include "ticketd/domain/events.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

void EncodeWorkflowPayload(const domain::WorkflowEvent& event, v1::EventEnvelope* envelope);
// For an envelope whose payload is one of the workflow fields; Corruption on
// a malformed id or enum value.
Status DecodeWorkflowPayload(const v1::EventEnvelope& envelope, domain::EventPayload* payload);

}  // namespace ticketd::eventstore

// Sign-in events (domain::AccountEvent) <-> the envelope's oneof fields 40-59.
#pragma once

#include "personal_text.h"
#include "ticketd/domain/events.h"
#include "ticketd/base/status.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

void EncodeAccountPayload(const domain::AccountEvent& event, TextSealer& text, v1::EventEnvelope* envelope);
// For an envelope whose payload is one of the account fields; Corruption on
// a malformed id, hash or enum value.
Status DecodeAccountPayload(const v1::EventEnvelope& envelope, TextOpener& text, domain::EventPayload* payload);

}  // namespace ticketd::eventstore

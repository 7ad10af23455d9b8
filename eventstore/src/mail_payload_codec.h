// Mail-out events (domain::MailEvent) <-> the envelope's oneof fields 110-119.
#pragma once

#include "ticketd/base/status.h"
#include "ticketd/domain/events.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

void EncodeMailPayload(const domain::MailEvent& event, v1::EventEnvelope* envelope);
// Corruption on an unknown template name.
Status DecodeMailPayload(const v1::EventEnvelope& envelope, domain::EventPayload* payload);

}  // namespace ticketd::eventstore

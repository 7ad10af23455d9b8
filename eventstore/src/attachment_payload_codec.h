// attachment.added (domain::AttachmentAdded) <-> the envelope's oneof field
// 100 (range 100-109 belongs to attachments).
#pragma once

#include "personal_text.h"
#include "ticketd/base/status.h"
#include "ticketd/domain/events.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

void EncodeAttachmentPayload(const domain::AttachmentAdded& event, TextSealer& text, v1::EventEnvelope* envelope);
// Corruption on a malformed id.
Status DecodeAttachmentPayload(const v1::EventEnvelope& envelope, TextOpener& text, domain::EventPayload* payload);

}  // namespace ticketd::eventstore

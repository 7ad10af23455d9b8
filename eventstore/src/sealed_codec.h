// The log's own encoder: EncodeEnvelope with the personal text sealed.
#pragma once

#include <cstdint>
#include <string>

#include "personal_text.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {

// InvalidArgument if the event carries new text for an erased subject;
// the key vault's error if a key could not be had.
Status EncodeEnvelopeWith(const EventToAppend& event, std::uint64_t position, TextSealer& text,
                          std::string* out);

}  // namespace ticketd::eventstore

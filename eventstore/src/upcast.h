// Upcasters: older payload versions mapped onto the current in-memory shape,
// so deciders, projections and the CLI only ever see today's events. One
// function per retired version; never delete one while a log may hold it.
#pragma once

#include "personal_text.h"
#include "ticketd/domain/events.h"
#include "ticketd/base/status.h"
#include "ticketd/eventstore/event_log.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

// Envelope version 1 (ids as UUID text, every record written before
// session 6) -> the ids of `out` (envelope_ids.h reads version 2). A nil
// actor and an absent correlation id are left out as empty text.
// Corruption on a malformed id.
Status UpcastEnvelopeIdsV1(const v1::EventEnvelope& envelope, RecordedEvent* out);

// comment.added v1 (bool internal) -> CommentAdded. Corruption on a bad id.
Status UpcastCommentAddedV1(const v1::CommentAdded& v1_payload, TextOpener& text, domain::CommentAdded* out);

}  // namespace ticketd::eventstore

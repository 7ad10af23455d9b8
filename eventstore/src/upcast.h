// Upcasters: older payload versions mapped onto the current in-memory shape,
// so deciders, projections and the CLI only ever see today's events. One
// function per retired version; never delete one while a log may hold it.
#pragma once

#include "personal_text.h"
#include "ticketd/domain/events.h"
#include "ticketd/base/status.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

// comment.added v1 (bool internal) -> CommentAdded. Corruption on a bad id.
Status UpcastCommentAddedV1(const v1::CommentAdded& v1_payload, TextOpener& text, domain::CommentAdded* out);

}  // namespace ticketd::eventstore

#include "upcast.h"

#include "personal_text.h"

namespace ticketd::eventstore {

Status UpcastEnvelopeIdsV1(const v1::EventEnvelope& envelope, RecordedEvent* out) {
  auto id = [](const std::string& text, domain::Id* target) {
    auto parsed = domain::Id::Parse(text);
    if (!parsed) return false;
    *target = *parsed;
    return true;
  };
  if (!id(envelope.event_id(), &out->event_id) || !id(envelope.tenant_id(), &out->event.tenant_id) ||
      !id(envelope.stream_id(), &out->event.stream_id))
    return Status::Corruption("event envelope has a malformed id");
  out->correlation_id = domain::Id{};
  if (!envelope.correlation_id().empty() && !id(envelope.correlation_id(), &out->correlation_id))
    return Status::Corruption("event envelope has a malformed correlation id");
  out->event.actor_id = domain::Id{};
  if (!envelope.actor_id().empty() && !id(envelope.actor_id(), &out->event.actor_id))
    return Status::Corruption("event envelope has a malformed actor id");
  return Status::Ok();
}

Status UpcastCommentAddedV1(const v1::CommentAdded& p, TextOpener& text, domain::CommentAdded* out) {
  auto id = domain::Id::Parse(p.comment_id());
  if (!id) return Status::Corruption("comment.added v1 has a malformed comment id");
  out->comment_id = *id;
  out->body = text.Get(p.body());
  out->internal = p.internal();
  return Status::Ok();
}

}  // namespace ticketd::eventstore

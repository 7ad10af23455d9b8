#include "upcast.h"

#include "personal_text.h"

namespace ticketd::eventstore {

Status UpcastCommentAddedV1(const v1::CommentAdded& p, TextOpener& text, domain::CommentAdded* out) {
  auto id = domain::Id::Parse(p.comment_id());
  if (!id) return Status::Corruption("comment.added v1 has a malformed comment id");
  out->comment_id = *id;
  out->body = text.Get(p.body());
  out->internal = p.internal();
  return Status::Ok();
}

}  // namespace ticketd::eventstore

#include "attachment_payload_codec.h"

#include "id_text.h"

namespace ticketd::eventstore {

void EncodeAttachmentPayload(const domain::AttachmentAdded& e, TextSealer& text, v1::EventEnvelope* envelope) {
  auto* p = envelope->mutable_attachment_added();
  p->set_attachment_id(IdText(e.attachment_id));
  if (e.comment_id) p->set_comment_id(IdText(*e.comment_id));
  p->set_internal(e.internal);
  text.Set(p->mutable_filename(), e.filename);
  p->set_content_type(e.content_type);
  p->set_size(e.size);
  p->set_sha256(e.sha256);
}

Status DecodeAttachmentPayload(const v1::EventEnvelope& envelope, TextOpener& text, domain::EventPayload* payload) {
  const auto& p = envelope.attachment_added();
  domain::AttachmentAdded e;
  bool ok = ParseId(p.attachment_id(), &e.attachment_id);
  if (ok && !p.comment_id().empty()) ok = ParseId(p.comment_id(), &e.comment_id.emplace());
  if (!ok) return Status::Corruption("attachment.added has a malformed id");
  e.internal = p.internal();
  e.filename = text.Get(p.filename());
  e.content_type = p.content_type();
  e.size = p.size();
  e.sha256 = p.sha256();
  *payload = std::move(e);
  return Status::Ok();
}

}  // namespace ticketd::eventstore

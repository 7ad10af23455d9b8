#include "envelope_ids.h"

#include <cstring>

#include "id_text.h"
#include "upcast.h"

namespace ticketd::eventstore {
namespace {

bool RawId(const std::string& raw, domain::Id* out) {
  if (raw.size() != out->bytes.size()) return false;
  std::memcpy(out->bytes.data(), raw.data(), raw.size());
  return true;
}

// An optional id (actor, correlation): absent reads as nil.
bool OptionalRawId(const std::string& raw, domain::Id* out) {
  *out = domain::Id{};
  return raw.empty() || RawId(raw, out);
}

bool HasTextIds(const v1::EventEnvelope& e) {
  return !e.event_id().empty() || !e.tenant_id().empty() || !e.stream_id().empty() || !e.actor_id().empty() ||
         !e.correlation_id().empty();
}

}  // namespace

bool IsVersion2(const v1::EventEnvelope& envelope) { return !envelope.event_id_raw().empty(); }

bool EnvelopeTenantId(const v1::EventEnvelope& envelope, domain::Id* tenant_id) {
  if (IsVersion2(envelope)) return RawId(envelope.tenant_id_raw(), tenant_id);
  return ParseId(envelope.tenant_id(), tenant_id);
}

void WriteEnvelopeIds(const EventToAppend& e, v1::EventEnvelope* envelope) {
  envelope->set_event_id_raw(e.event_id.AsBytes().data(), e.event_id.bytes.size());
  envelope->set_tenant_id_raw(e.event.tenant_id.AsBytes().data(), e.event.tenant_id.bytes.size());
  envelope->set_stream_id_raw(e.event.stream_id.AsBytes().data(), e.event.stream_id.bytes.size());
  if (!e.event.actor_id.IsNil())
    envelope->set_actor_id_raw(e.event.actor_id.AsBytes().data(), e.event.actor_id.bytes.size());
  envelope->set_correlation_id_raw(e.correlation_id.AsBytes().data(), e.correlation_id.bytes.size());
}

Status ReadEnvelopeIds(const v1::EventEnvelope& envelope, RecordedEvent* out) {
  const bool any_raw = IsVersion2(envelope) || !envelope.tenant_id_raw().empty() ||
                       !envelope.stream_id_raw().empty() || !envelope.actor_id_raw().empty() ||
                       !envelope.correlation_id_raw().empty();
  if (!any_raw) return UpcastEnvelopeIdsV1(envelope, out);
  if (HasTextIds(envelope)) return Status::Corruption("event envelope mixes text and raw ids");
  if (!RawId(envelope.event_id_raw(), &out->event_id) || !RawId(envelope.tenant_id_raw(), &out->event.tenant_id) ||
      !RawId(envelope.stream_id_raw(), &out->event.stream_id))
    return Status::Corruption("event envelope has a malformed id");
  if (!OptionalRawId(envelope.correlation_id_raw(), &out->correlation_id))
    return Status::Corruption("event envelope has a malformed correlation id");
  if (!OptionalRawId(envelope.actor_id_raw(), &out->event.actor_id))
    return Status::Corruption("event envelope has a malformed actor id");
  return Status::Ok();
}

Status ToVersion1Ids(v1::EventEnvelope* envelope) {
  RecordedEvent ids;
  if (Status s = ReadEnvelopeIds(*envelope, &ids); !s.ok()) return s;
  if (!IsVersion2(*envelope)) return Status::Ok();
  envelope->clear_event_id_raw();
  envelope->clear_tenant_id_raw();
  envelope->clear_stream_id_raw();
  envelope->clear_actor_id_raw();
  envelope->clear_correlation_id_raw();
  // Exactly what the version 1 encoder set: the actor only when not nil,
  // the correlation id always.
  envelope->set_event_id(IdText(ids.event_id));
  envelope->set_tenant_id(IdText(ids.event.tenant_id));
  envelope->set_stream_id(IdText(ids.event.stream_id));
  if (!ids.event.actor_id.IsNil()) envelope->set_actor_id(IdText(ids.event.actor_id));
  envelope->set_correlation_id(IdText(ids.correlation_id));
  return Status::Ok();
}

}  // namespace ticketd::eventstore

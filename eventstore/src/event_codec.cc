// DomainEvent <-> protobuf EventEnvelope. The envelope fields live here, the
// payload oneof in payload_codec.cc, older payload versions in upcast.cc.
#include "ticketd/eventstore/event_codec.h"

#include <google/protobuf/util/json_util.h>

#include <exception>

#include "envelope_ids.h"
#include "payload_codec.h"
#include "sealed_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

std::string EncodeEnvelope(const EventToAppend& e, std::uint64_t position) {
  TextSealer plain;
  std::string out;
  (void)EncodeEnvelopeWith(e, position, plain, &out);  // plain text cannot fail
  return out;
}

Status EncodeEnvelopeWith(const EventToAppend& e, std::uint64_t position, TextSealer& text, std::string* out) {
  v1::EventEnvelope envelope;
  WriteEnvelopeIds(e, &envelope);  // envelope version 2: raw ids
  envelope.set_stream_version(e.version);
  envelope.set_position(position);
  envelope.set_type(std::string(domain::EventTypeName(e.event.payload)));
  envelope.set_occurred_at_us(e.event.at);
  envelope.set_schema_version(PayloadSchemaVersion(e.event.payload));
  EncodePayload(e.event.payload, text, &envelope);
  if (!text.status().ok()) return text.status();
  *out = envelope.SerializeAsString();
  return Status::Ok();
}

namespace {

// Far above any real envelope; keeps the int conversion below safe.
constexpr std::size_t kMaxEnvelopeBytes = 64u << 20;

bool Parse(std::string_view bytes, v1::EventEnvelope* envelope) {
  return bytes.size() <= kMaxEnvelopeBytes &&
         envelope->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

Status DecodeParsed(const v1::EventEnvelope& envelope, const TextKeys* keys, RecordedEvent* out) {
  if (Status s = ReadEnvelopeIds(envelope, out); !s.ok()) return s;
  out->position = envelope.position();
  out->version = envelope.stream_version();
  out->schema_version = envelope.schema_version();
  out->event.at = envelope.occurred_at_us();
  TextOpener text(keys);
  Status s = DecodePayload(envelope, text, &out->event.payload);
  return s.ok() ? text.status() : s;
}

}  // namespace

Status DecodeEnvelope(std::string_view bytes, RecordedEvent* out, const TextKeys* keys) {
  try {
    // Reused per thread: parsing into a cleared message keeps its strings'
    // capacity, so a scan of the log does not allocate them again per event.
    thread_local v1::EventEnvelope envelope;
    envelope.Clear();
    if (!Parse(bytes, &envelope)) return Status::Corruption("event envelope does not parse");
    return DecodeParsed(envelope, keys, out);
  } catch (const std::exception& e) {  // protobuf or std::string running out of memory
    return Status::Corruption(std::string("event envelope cannot be decoded: ") + e.what());
  }
}

Status PublicEnvelope(std::string_view stored, std::string* out) {
  try {
    v1::EventEnvelope envelope;
    if (!Parse(stored, &envelope)) return Status::Corruption("event envelope does not parse");
    if (!IsVersion2(envelope)) {
      if (Status s = ToVersion1Ids(&envelope); !s.ok()) return s;  // checks the ids
      out->assign(stored);
      return Status::Ok();
    }
    if (Status s = ToVersion1Ids(&envelope); !s.ok()) return s;
    *out = envelope.SerializeAsString();
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("event envelope cannot be converted: ") + e.what());
  }
}

Status EnvelopeToJson(std::string_view bytes, std::string* json) {
  try {
    v1::EventEnvelope envelope;
    if (!Parse(bytes, &envelope)) return Status::Corruption("event envelope does not parse");
    // Auditors see one format whatever the log holds: version 1, text ids.
    if (Status s = ToVersion1Ids(&envelope); !s.ok()) return s;
    google::protobuf::util::JsonPrintOptions options;
    options.add_whitespace = false;  // one line per event
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    json->clear();
    auto status = google::protobuf::util::MessageToJsonString(envelope, json, options);
    if (!status.ok()) return Status::Corruption("event envelope cannot be printed as JSON");
    // The version 2 fields are empty now, but printed (every primitive field
    // is): drop them, so the export line is the one version 1 always gave.
    // Consecutive fields 11-15, printed in order; inside a JSON string a
    // quote is escaped, so this text can only be those fields.
    static constexpr std::string_view kEmptyRawIds =
        R"(,"event_id_raw":"","tenant_id_raw":"","stream_id_raw":"","actor_id_raw":"","correlation_id_raw":"")";
    if (std::size_t at = json->find(kEmptyRawIds); at != std::string::npos) json->erase(at, kEmptyRawIds.size());
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("event envelope cannot be printed as JSON: ") + e.what());
  }
}

}  // namespace ticketd::eventstore

// libFuzzer: the stored event envelope, both versions (events.proto: version
// 1 with text ids, version 2 with raw ids). Any bytes decode or fail with a
// status, never crash; bytes that decode convert to the public version 1
// form, which decodes to the same event header.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ticketd/eventstore/event_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ticketd::eventstore;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  RecordedEvent decoded;
  const bool decodes = DecodeEnvelope(bytes, &decoded).ok();
  std::string public_bytes, json;
  const bool converts = PublicEnvelope(bytes, &public_bytes).ok();
  (void)EnvelopeToJson(bytes, &json);
  if (!decodes || !converts) return 0;
  RecordedEvent again;
  if (!DecodeEnvelope(public_bytes, &again).ok()) __builtin_trap();  // the public form must read back
  if (!(again.event_id == decoded.event_id) || !(again.event.tenant_id == decoded.event.tenant_id) ||
      !(again.event.stream_id == decoded.event.stream_id) || !(again.event.actor_id == decoded.event.actor_id) ||
      !(again.correlation_id == decoded.correlation_id) || again.position != decoded.position ||
      again.version != decoded.version || again.event.at != decoded.event.at)
    __builtin_trap();  // ... as the same event
  return 0;
}

// A cheap look at one field of a serialized EventEnvelope without parsing the
// whole message: lets ReadAllRaw check that a record sits at the position it
// names. Pure functions; thread-safe; safe on any bytes.
#pragma once

#include <cstdint>
#include <string_view>

namespace ticketd::eventstore {

// The envelope's `position` (field 5; 0 if absent). false if `bytes` is not
// well-formed protobuf wire format at the top level.
bool EnvelopePosition(std::string_view bytes, std::uint64_t* position);

}  // namespace ticketd::eventstore

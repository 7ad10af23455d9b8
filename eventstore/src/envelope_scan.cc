#include "envelope_scan.h"

namespace ticketd::eventstore {
namespace {

constexpr std::uint64_t kPositionField = 5;  // EventEnvelope.position (events.proto)
constexpr int kMaxGroupDepth = 100;          // protobuf's default recursion limit

bool ReadVarint(std::string_view bytes, std::size_t* at, std::uint64_t* value) {
  std::uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*at >= bytes.size()) return false;
    const auto byte = static_cast<std::uint8_t>(bytes[(*at)++]);
    result |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;  // more than 10 bytes
}

bool Skip(std::string_view bytes, std::size_t* at, std::uint64_t count) {
  if (count > bytes.size() - *at) return false;
  *at += count;
  return true;
}

// Skips one field's value; `tag` is already read. Groups (wire types 3/4,
// never written by proto3 but accepted by protobuf as unknown fields) are
// skipped up to their matching end, nested no deeper than protobuf allows.
bool SkipValue(std::string_view bytes, std::size_t* at, std::uint64_t tag, int depth) {
  std::uint64_t value = 0;
  switch (tag & 7) {
    case 0:
      return ReadVarint(bytes, at, &value);
    case 1:
      return Skip(bytes, at, 8);
    case 2:
      return ReadVarint(bytes, at, &value) && Skip(bytes, at, value);
    case 3:
      if (depth >= kMaxGroupDepth) return false;
      for (;;) {
        std::uint64_t inner = 0;
        if (!ReadVarint(bytes, at, &inner) || (inner >> 3) == 0) return false;
        if ((inner & 7) == 4) return (inner >> 3) == (tag >> 3);
        if (!SkipValue(bytes, at, inner, depth + 1)) return false;
      }
    case 5:
      return Skip(bytes, at, 4);
    default:  // an unmatched end of group, or wire types 6 and 7
      return false;
  }
}

}  // namespace

bool EnvelopePosition(std::string_view bytes, std::uint64_t* position) {
  std::uint64_t found = 0;
  std::size_t at = 0;
  while (at < bytes.size()) {
    std::uint64_t tag = 0;
    if (!ReadVarint(bytes, &at, &tag) || (tag >> 3) == 0) return false;
    if (tag == (kPositionField << 3 | 0)) {
      if (!ReadVarint(bytes, &at, &found)) return false;  // the last one wins, as in protobuf
    } else if (!SkipValue(bytes, &at, tag, 0)) {
      return false;
    }
  }
  *position = found;
  return true;
}

}  // namespace ticketd::eventstore

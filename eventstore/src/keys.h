// Key encodings of the log's column families. Persistent format: never change.
//   events     BE64(position)
//   streams    tenant(16) | stream(16) | BE64(version)
//   event_ids  id(16)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {

inline void AppendBigEndian64(std::string* out, std::uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((value >> shift) & 0xFF));
}

inline std::string BigEndian64(std::uint64_t value) {
  std::string out;
  out.reserve(8);
  AppendBigEndian64(&out, value);
  return out;
}

// false unless `bytes` is exactly 8 bytes.
inline bool DecodeBigEndian64(std::string_view bytes, std::uint64_t* value) {
  if (bytes.size() != 8) return false;
  std::uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  *value = v;
  return true;
}

inline std::string StreamPrefix(const StreamKey& stream) {
  std::string key;
  key.reserve(40);
  key.append(stream.tenant_id.AsBytes());
  key.append(stream.stream_id.AsBytes());
  return key;
}

inline std::string StreamVersionKey(std::string_view prefix, std::int64_t version) {
  std::string key(prefix);
  AppendBigEndian64(&key, static_cast<std::uint64_t>(version));
  return key;
}

inline constexpr std::string_view kFormatMetaKey = "format";
inline constexpr std::string_view kFormatMarker = "ticketd-log-v1";

}  // namespace ticketd::eventstore

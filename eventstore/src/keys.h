// Key encodings of the log's column families. Persistent format: never change.
//   events     BE64(position)
//   streams    tenant(16) | stream(16) | BE64(version)
//   event_ids  id(16)
//   meta       utf-8 name ("format" holds kFormatMarker)
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
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

// meta keys of erasure completion (rocks_erasure.cc).
inline constexpr std::string_view kErasurePositionMetaKey = "erasure_position";
inline constexpr std::string_view kErasurePurgedMetaKey = "erasure_purged_through";

inline constexpr std::size_t kStreamPrefixSize = 32;

inline std::string StreamPrefix(const StreamKey& stream) {
  std::string key;
  key.reserve(kStreamPrefixSize + 8);
  key.append(stream.tenant_id.AsBytes());
  key.append(stream.stream_id.AsBytes());
  return key;
}

inline std::string StreamVersionKey(std::string_view prefix, std::int64_t version) {
  std::string key(prefix);
  AppendBigEndian64(&key, static_cast<std::uint64_t>(version));
  return key;
}

// The same key without allocating, for the append path.
inline constexpr std::size_t kStreamVersionKeySize = kStreamPrefixSize + 8;
inline void EncodeStreamVersionKey(const StreamKey& stream, std::int64_t version,
                                   char (&out)[kStreamVersionKeySize]) {
  std::memcpy(out, stream.tenant_id.bytes.data(), 16);
  std::memcpy(out + 16, stream.stream_id.bytes.data(), 16);
  const auto v = static_cast<std::uint64_t>(version);
  for (int i = 0; i < 8; ++i) out[kStreamPrefixSize + i] = static_cast<char>((v >> (56 - 8 * i)) & 0xFF);
}

// Sorts after every version key of the stream (and before the next stream).
inline std::string StreamEndKey(std::string_view prefix) {
  std::string key(prefix);
  key.append(8, '\xff');
  return key;
}

// For the writer's per-stream version cache.
struct StreamKeyHash {
  std::size_t operator()(const StreamKey& key) const noexcept {
    domain::IdHash hash;
    return hash(key.stream_id) ^ (hash(key.tenant_id) * 0x9E3779B97F4A7C15ull);
  }
};

inline StreamKey StreamOf(const EventToAppend& event) {
  return {event.event.tenant_id, event.event.stream_id};
}

inline constexpr std::string_view kFormatMetaKey = "format";
inline constexpr std::string_view kFormatMarker = "ticketd-log-v1";

}  // namespace ticketd::eventstore

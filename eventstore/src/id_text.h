// Ids as canonical UUID text for the envelope (and back), without the per-character
// appends of domain::Id::ToString (six ids per event on the append path).
// Produces exactly the same text. Pure; thread-safe.
#pragma once

#include <string>

#include "ticketd/domain/id.h"

namespace ticketd::eventstore {

inline std::string IdText(const domain::Id& id) {
  static constexpr char kHex[] = "0123456789abcdef";
  char text[36];
  std::size_t at = 0;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[at++] = '-';
    text[at++] = kHex[id.bytes[i] >> 4];
    text[at++] = kHex[id.bytes[i] & 0xF];
  }
  return std::string(text, sizeof text);
}

// The other way, for decoders: false (and *out untouched) unless `text` is a
// canonical UUID.
inline bool ParseId(const std::string& text, domain::Id* out) {
  auto id = domain::Id::Parse(text);
  if (id) *out = *id;
  return id.has_value();
}

}  // namespace ticketd::eventstore

#include "ticketd/domain/id.h"

#include "ticketd/base/hex_digit.h"

namespace ticketd::domain {
namespace {

constexpr bool IsDashPosition(std::size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

std::string Id::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xF]);
  }
  return out;
}

std::optional<Id> Id::Parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  Id id;
  std::size_t byte = 0;
  for (std::size_t i = 0; i < 36;) {
    if (IsDashPosition(i)) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int hi = HexDigitValue(text[i]);
    int lo = HexDigitValue(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    id.bytes[byte++] = static_cast<std::uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return id;
}

std::optional<Id> Id::FromBytes(std::string_view raw) {
  if (raw.size() != 16) return std::nullopt;
  Id id;
  std::memcpy(id.bytes.data(), raw.data(), 16);
  return id;
}

}  // namespace ticketd::domain

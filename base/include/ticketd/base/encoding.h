// Byte encodings used across ticketd: lowercase hex and unpadded base64url
// (RFC 4648 §5). One implementation each, on libsodium's constant-time
// codecs, so secrets (keys, tokens) can go through them too.
// Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ticketd {

std::string HexEncode(std::span<const std::uint8_t> bytes);
inline std::string HexEncode(std::string_view bytes) {
  return HexEncode(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}
// Exactly out.size() bytes' worth of hex digits (either case), nothing else;
// false otherwise (out is then unspecified).
[[nodiscard]] bool HexDecode(std::string_view hex, std::span<std::uint8_t> out);

std::string Base64UrlEncode(std::string_view bytes);
// Strict: only the URL-safe alphabet, no padding, no whitespace, and the
// unused low bits of the last character zero, so every byte string has
// exactly one encoding. nullopt otherwise.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace ticketd

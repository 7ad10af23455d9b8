#include "cursor.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace ticketd::projections {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kFixedBytes = 1 + 1 + 3 * 8 + 16;
constexpr std::size_t kCrcBytes = 4;

constexpr std::array<std::uint32_t, 256> MakeCrcTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = MakeCrcTable();

std::uint32_t Crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char b : data) crc = kCrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<std::int8_t, 256> MakeDecodeTable() {
  std::array<std::int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  return table;
}
constexpr auto kDecode = MakeDecodeTable();

std::string Base64Url(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

// Strict: only the alphabet, no padding, and the unused low bits of the last
// character must be zero, so every byte string has exactly one encoding.
std::optional<std::string> FromBase64Url(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : in) {
    const std::int8_t v = kDecode[static_cast<unsigned char>(ch)];
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

void PutU64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint64_t GetU64(const char* p, std::size_t bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < bytes; ++i) v |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  return v;
}

std::uint8_t SortTag(const SortSpec& spec) {
  return static_cast<std::uint8_t>(static_cast<int>(spec.field) | (spec.descending ? 0x80 : 0));
}

}  // namespace

std::string EncodeCursor(const SortSpec& raw_spec, const CursorKey& key) {
  const SortSpec spec = Normalize(raw_spec);
  std::string bytes;
  bytes.reserve(kFixedBytes + key.subject.size() + kCrcBytes);
  bytes.push_back(static_cast<char>(kVersion));
  bytes.push_back(static_cast<char>(SortTag(spec)));
  PutU64(bytes, static_cast<std::uint64_t>(key.key.k1));
  PutU64(bytes, static_cast<std::uint64_t>(key.key.k2));
  PutU64(bytes, static_cast<std::uint64_t>(key.key.k3));
  bytes.append(key.id.AsBytes());
  if (spec.field == SortField::kSubject) bytes.append(key.subject);
  const std::uint32_t crc = Crc32(bytes);
  for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<char>((crc >> (8 * i)) & 0xFF));
  return Base64Url(bytes);
}

std::optional<CursorKey> DecodeCursor(std::string_view cursor, const SortSpec& raw_spec) {
  const SortSpec spec = Normalize(raw_spec);
  if (cursor.size() > kMaxCursorChars) return std::nullopt;
  std::optional<std::string> bytes = FromBase64Url(cursor);
  if (!bytes || bytes->size() < kFixedBytes + kCrcBytes) return std::nullopt;
  const std::size_t body = bytes->size() - kCrcBytes;
  const char* p = bytes->data();
  if (static_cast<std::uint32_t>(GetU64(p + body, kCrcBytes)) != Crc32(std::string_view(p, body)))
    return std::nullopt;
  if (static_cast<std::uint8_t>(p[0]) != kVersion || static_cast<std::uint8_t>(p[1]) != SortTag(spec))
    return std::nullopt;
  const std::size_t subject_bytes = body - kFixedBytes;
  if (spec.field != SortField::kSubject && subject_bytes != 0) return std::nullopt;
  CursorKey key;
  key.key.k1 = static_cast<std::int64_t>(GetU64(p + 2, 8));
  key.key.k2 = static_cast<std::int64_t>(GetU64(p + 10, 8));
  key.key.k3 = static_cast<std::int64_t>(GetU64(p + 18, 8));
  std::memcpy(key.id.bytes.data(), p + 26, 16);
  key.subject.assign(p + kFixedBytes, subject_bytes);
  return key;
}

}  // namespace ticketd::projections

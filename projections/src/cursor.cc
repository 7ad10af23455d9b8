#include "cursor.h"

#include <array>
#include <cstdint>
#include <cstring>

#include "ticketd/base/encoding.h"

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
  return Base64UrlEncode(bytes);
}

std::optional<CursorKey> DecodeCursor(std::string_view cursor, const SortSpec& raw_spec) {
  const SortSpec spec = Normalize(raw_spec);
  if (cursor.size() > kMaxCursorChars) return std::nullopt;
  std::optional<std::string> bytes = Base64UrlDecode(cursor);
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

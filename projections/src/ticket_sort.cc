#include "ticket_sort.h"

#include <charconv>
#include <limits>
#include <tuple>
#include <vector>

namespace ticketd::projections {
namespace {

constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
constexpr char kCursorVersion = '1';

int Compare(std::int64_t x, std::int64_t y) { return x < y ? -1 : (x > y ? 1 : 0); }

std::string SpecTag(const SortSpec& spec) {
  return std::to_string(static_cast<int>(spec.field)) + (spec.descending ? "d" : "a");
}

// base64url without padding.
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64Url(std::string_view in) {
  std::string out;
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

std::optional<std::string> FromBase64Url(std::string_view in) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : in) {
    const char* pos = std::char_traits<char>::find(kAlphabet, 64, ch);
    if (!pos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(pos - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::uint32_t Fnv1a(std::string_view data) {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : data) h = (h ^ c) * 16777619u;
  return h;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

bool ParseInt(std::string_view s, std::int64_t* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::optional<SortSpec> ParseSort(std::string_view text) {
  if (text == "queue") return SortSpec{SortField::kQueue, false};
  SortSpec spec;
  if (text.starts_with('-')) {
    spec.descending = true;
    text.remove_prefix(1);
  }
  static constexpr std::pair<std::string_view, SortField> kFields[] = {
      {"created_at", SortField::kCreatedAt}, {"updated_at", SortField::kUpdatedAt},
      {"due_at", SortField::kDueAt},         {"priority", SortField::kPriority},
      {"status", SortField::kStatus},        {"number", SortField::kNumber},
      {"subject", SortField::kSubject}};
  for (const auto& [name, field] : kFields) {
    if (text == name) {
      spec.field = field;
      return spec;
    }
  }
  return std::nullopt;
}

SortKey MakeSortKey(const domain::Ticket& t, const SortSpec& spec) {
  SortKey key;
  key.id = t.id;
  switch (spec.field) {
    case SortField::kQueue:
      key.a = 3 - static_cast<int>(t.priority);  // urgent first
      key.b = t.due_at.value_or(kNone);          // earliest (so overdue) first, none last
      key.c = t.updated_at;                      // oldest first
      break;
    case SortField::kCreatedAt:
      key.b = t.created_at;
      break;
    case SortField::kUpdatedAt:
      key.b = t.updated_at;
      break;
    case SortField::kDueAt:
      key.a = t.due_at ? 0 : 1;  // none last in both directions
      key.b = t.due_at.value_or(0);
      break;
    case SortField::kPriority:
      key.b = static_cast<int>(t.priority);
      break;
    case SortField::kStatus:
      key.b = static_cast<int>(t.status);
      break;
    case SortField::kNumber:
      key.b = t.number;
      break;
    case SortField::kSubject:
      key.text = t.subject;
      break;
  }
  return key;
}

bool SortsBefore(const SortKey& x, const SortKey& y, const SortSpec& spec) {
  if (spec.field == SortField::kQueue) return std::tie(x.a, x.b, x.c, x.id) < std::tie(y.a, y.b, y.c, y.id);
  if (int c = Compare(x.a, y.a); c != 0) return c < 0;  // null-group: never reversed
  int c = Compare(x.b, y.b);
  if (c == 0) c = x.text.compare(y.text) < 0 ? -1 : (x.text == y.text ? 0 : 1);
  if (c == 0) c = x.id < y.id ? -1 : (x.id == y.id ? 0 : 1);
  return spec.descending ? c > 0 : c < 0;
}

std::string EncodeCursor(const SortKey& key, const SortSpec& spec) {
  std::string payload = std::string(1, kCursorVersion) + "|" + SpecTag(spec) + "|" + std::to_string(key.a) +
                        "|" + std::to_string(key.b) + "|" + std::to_string(key.c) + "|" + key.id.ToString() +
                        "|" + Base64Url(key.text);
  payload += "|" + std::to_string(Fnv1a(payload));
  return Base64Url(payload);
}

std::optional<SortKey> DecodeCursor(std::string_view cursor, const SortSpec& spec) {
  if (cursor.size() > 4096) return std::nullopt;
  std::optional<std::string> payload = FromBase64Url(cursor);
  if (!payload) return std::nullopt;
  std::vector<std::string_view> parts = Split(*payload, '|');
  if (parts.size() != 8 || parts[0].size() != 1 || parts[0][0] != kCursorVersion || parts[1] != SpecTag(spec))
    return std::nullopt;
  std::string_view signed_part = std::string_view(*payload).substr(0, payload->size() - parts[7].size() - 1);
  if (parts[7] != std::to_string(Fnv1a(signed_part))) return std::nullopt;
  SortKey key;
  std::optional<domain::Id> id = domain::Id::Parse(parts[5]);
  std::optional<std::string> text = FromBase64Url(parts[6]);
  if (!ParseInt(parts[2], &key.a) || !ParseInt(parts[3], &key.b) || !ParseInt(parts[4], &key.c) || !id ||
      !text)
    return std::nullopt;
  key.id = *id;
  key.text = std::move(*text);
  return key;
}

}  // namespace ticketd::projections

#include "ticketd/domain/iso_duration.h"

#include <cctype>

namespace ticketd::domain {
namespace {

constexpr Timestamp kSecond = kMicrosPerSecond;

// Microseconds per unit; `time` says whether we are after the 'T'.
std::optional<Timestamp> UnitLength(char unit, bool time) {
  if (time) {
    switch (unit) {
      case 'H': return 3600 * kSecond;
      case 'M': return 60 * kSecond;
      case 'S': return kSecond;
      default: return std::nullopt;
    }
  }
  switch (unit) {
    case 'Y': return 365 * kMicrosPerDay;
    case 'M': return 30 * kMicrosPerDay;
    case 'W': return 7 * kMicrosPerDay;
    case 'D': return kMicrosPerDay;
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<Timestamp> ParseIsoDuration(std::string_view text) {
  if (text.size() < 3 || text.size() > 40 || text[0] != 'P') return std::nullopt;
  Timestamp total = 0;
  bool time = false, any_part = false, part_after_t = false;
  const std::string_view units_order_date = "YMWD", units_order_time = "HMS";
  std::size_t last_unit = 0;  // index + 1 of the previous unit in its order: units must ascend
  for (std::size_t i = 1; i < text.size();) {
    if (text[i] == 'T') {
      if (time) return std::nullopt;
      time = true;
      last_unit = 0;
      ++i;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    std::int64_t number = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      number = number * 10 + (text[i] - '0');
      if (number > 1'000'000'000) return std::nullopt;
    }
    if (i == text.size()) return std::nullopt;  // a number without a unit
    const char unit = text[i++];
    const std::string_view order = time ? units_order_time : units_order_date;
    const std::size_t position = order.find(unit);
    if (position == std::string_view::npos || position + 1 <= last_unit) return std::nullopt;
    last_unit = position + 1;
    const std::optional<Timestamp> length = UnitLength(unit, time);
    if (!length) return std::nullopt;
    if (number > (kMaxIsoDuration - total) / *length + 1) return std::nullopt;  // overflow guard
    total += number * *length;
    any_part = true;
    part_after_t |= time;
  }
  if (!any_part || (time && !part_after_t)) return std::nullopt;
  if (total <= 0 || total > kMaxIsoDuration) return std::nullopt;
  return total;
}

std::string FormatIsoDuration(Timestamp duration) {
  std::int64_t seconds = duration / kSecond;
  const std::int64_t days = seconds / 86400;
  seconds %= 86400;
  std::string out = "P";
  if (days > 0) out += std::to_string(days) + "D";
  if (seconds > 0 || days == 0) {
    out += "T";
    if (seconds / 3600 > 0) out += std::to_string(seconds / 3600) + "H";
    if (seconds % 3600 / 60 > 0) out += std::to_string(seconds % 3600 / 60) + "M";
    if (seconds % 60 > 0 || seconds == 0) out += std::to_string(seconds % 60) + "S";
  }
  return out;
}

}  // namespace ticketd::domain

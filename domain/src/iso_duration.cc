#include "ticketd/domain/iso_duration.h"

namespace ticketd::domain {
namespace {

struct Unit {
  char letter;
  bool in_time_part;
  Duration micros;
};
constexpr Unit kUnits[] = {
    {'Y', false, 365 * kMicrosPerDay}, {'M', false, 30 * kMicrosPerDay}, {'W', false, 7 * kMicrosPerDay},
    {'D', false, kMicrosPerDay},       {'H', true, 3600 * kMicrosPerSecond}, {'M', true, 60 * kMicrosPerSecond},
    {'S', true, kMicrosPerSecond},
};

}  // namespace

std::optional<Duration> ParseIsoDuration(std::string_view text) {
  if (text.size() < 2 || text[0] != 'P') return std::nullopt;
  std::size_t i = 1;
  std::size_t next_unit = 0;  // units must come in order, each at most once
  bool time_part = false, any = false;
  Duration total = 0;
  while (i < text.size()) {
    if (text[i] == 'T') {
      if (time_part || i + 1 == text.size()) return std::nullopt;
      time_part = true;
      ++i;
      continue;
    }
    std::int64_t number = 0;
    std::size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      if (digits >= 9) return std::nullopt;  // far beyond the maximum anyway
      number = number * 10 + (text[i] - '0');
    }
    if (digits == 0 || i == text.size()) return std::nullopt;
    const char letter = text[i++];
    while (next_unit < std::size(kUnits) &&
           (kUnits[next_unit].letter != letter || kUnits[next_unit].in_time_part != time_part))
      ++next_unit;
    if (next_unit == std::size(kUnits)) return std::nullopt;
    total += number * kUnits[next_unit].micros;
    if (total > kMaxIsoDuration) return std::nullopt;
    ++next_unit;
    any = true;
  }
  if (!any) return std::nullopt;
  return total;
}

std::string FormatIsoDuration(Duration duration) {
  if (duration <= 0) return "PT0S";
  std::string out = "P";
  const Duration days = duration / kMicrosPerDay;
  Duration rest = duration % kMicrosPerDay;
  if (days > 0) out += std::to_string(days) + "D";
  if (rest > 0) {
    out += "T";
    const Duration hours = rest / (3600 * kMicrosPerSecond), minutes = rest / (60 * kMicrosPerSecond) % 60;
    const Duration seconds = rest / kMicrosPerSecond % 60;
    if (hours > 0) out += std::to_string(hours) + "H";
    if (minutes > 0) out += std::to_string(minutes) + "M";
    if (seconds > 0 || (hours == 0 && minutes == 0)) out += std::to_string(seconds) + "S";
  }
  return out;
}

}  // namespace ticketd::domain

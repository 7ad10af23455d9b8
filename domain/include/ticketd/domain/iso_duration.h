// ISO 8601 durations ("PT30S", "PT4H", "P2D", "P1W", "P1DT12H"), as the
// workflow contract writes them. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/time.h"

namespace ticketd::domain {

using Duration = std::int64_t;  // microseconds

// Nothing the workflow accepts is longer (P1000Y is refused).
inline constexpr Duration kMaxIsoDuration = 3660 * kMicrosPerDay;  // ten years

// "P[nY][nM][nW][nD][T[nH][nM][nS]]" with whole numbers (a year counts 365
// days, a month 30). nullopt when malformed, empty ("P", "PT") or longer
// than kMaxIsoDuration.
std::optional<Duration> ParseIsoDuration(std::string_view text);
// The shortest form: "P14D", "PT4H", "P1DT30S"; "PT0S" for zero.
std::string FormatIsoDuration(Duration duration);

}  // namespace ticketd::domain

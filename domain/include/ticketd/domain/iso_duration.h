// ISO 8601 durations as WORKFLOW.md uses them ("PT30S", "PT4H", "P2D",
// "P1DT12H", "P2W"): the SLA targets and the auto-close delay. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/time.h"

namespace ticketd::domain {

// The longest duration any setting accepts: longer ones are a typo (P1000Y)
// and would only make the calendar arithmetic give up.
inline constexpr Timestamp kMaxIsoDuration = 366 * kMicrosPerDay;

// Parses "P[nY][nM][nW][nD][T[nH][nM][nS]]" into microseconds (a year counts
// 365 days, a month 30). Whole numbers only. nullopt when it does not parse,
// is zero, or exceeds kMaxIsoDuration (the caller answers 400 naming the
// field); never throws.
std::optional<Timestamp> ParseIsoDuration(std::string_view text);

// The canonical form of a whole-second duration: days and time parts only
// ("P2D", "PT4H", "P1DT30M", "PT2S").
std::string FormatIsoDuration(Timestamp duration);

}  // namespace ticketd::domain

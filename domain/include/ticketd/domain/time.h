// Timestamps: microseconds since the Unix epoch, UTC. Pure conversions only;
// the clock is read by the shell and passed in with each command.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ticketd::domain {

using Timestamp = std::int64_t;  // microseconds since 1970-01-01T00:00:00Z

constexpr Timestamp kMicrosPerSecond = 1'000'000;
constexpr Timestamp kMicrosPerDay = 86'400 * kMicrosPerSecond;

// RFC 3339 in UTC with millisecond precision: "2026-11-22T07:00:00.000Z".
std::string FormatRfc3339(Timestamp t);

// Parses RFC 3339 ("YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)", 'T' or 't'
// or ' ' as separator). Years 1970..9999 only. Returns nullopt on anything
// malformed or out of range; never throws.
std::optional<Timestamp> ParseRfc3339(std::string_view text);

// The last microsecond an instant written to the millisecond stands for: the
// API shows times to the millisecond, so "as of 12:00:00.123Z" must include
// an event at 12:00:00.123456. Finer instants are returned unchanged.
constexpr Timestamp EndOfMillisecond(Timestamp t) { return t % 1000 == 0 ? t + 999 : t; }

// "YYYY-MM-DD" <-> midnight UTC of that day.
std::optional<Timestamp> ParseDate(std::string_view text);
std::string FormatDate(Timestamp t);

}  // namespace ticketd::domain

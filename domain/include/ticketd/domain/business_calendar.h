// Working time: a business calendar (working days and hours in a time zone,
// holidays) and the arithmetic SLA targets need: "when will N of counted
// time have passed since T, not counting these paused intervals?" and "how
// much counted time lies between A and B?".
//
// Pure. The time zone comes in as a ZoneClock that the shell builds from the
// system's tz database (the domain reads no files), so tests can run any
// rules, and a calendar computation never depends on when it runs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ticketd/domain/time.h"

namespace ticketd::domain {

using Duration = std::int64_t;  // microseconds

// Local wall-clock time <-> UTC for one time zone. Times in seconds.
class ZoneClock {
 public:
  virtual ~ZoneClock() = default;
  // Seconds since 1970-01-01T00:00 local wall-clock time at a UTC instant.
  virtual std::int64_t ToLocal(std::int64_t utc_seconds) const = 0;
  // The UTC instant of a local wall-clock time. A time that a DST change
  // skips maps to the instant the gap ends; a time it repeats maps to its
  // first occurrence.
  virtual std::int64_t ToUtc(std::int64_t local_seconds) const = 0;
};

// UTC itself (and every "24x7" calendar).
class UtcZoneClock final : public ZoneClock {
 public:
  std::int64_t ToLocal(std::int64_t utc_seconds) const override { return utc_seconds; }
  std::int64_t ToUtc(std::int64_t local_seconds) const override { return local_seconds; }
};

inline constexpr int kMinutesPerDay = 24 * 60;

struct BusinessCalendar {
  bool always_open = true;                 // "24x7": every instant counts
  std::string time_zone = "UTC";           // IANA name; the shell resolves it
  std::array<bool, 7> working_days{};      // [0] = Monday .. [6] = Sunday
  int from_minute = 9 * 60;                // local, [0, 1440)
  int to_minute = 17 * 60;                 // local, (from_minute, 1440]
  std::vector<std::int32_t> holidays;      // local dates as days since 1970-01-01, sorted, unique
  friend bool operator==(const BusinessCalendar&, const BusinessCalendar&) = default;
};

// [begin, end) in UTC; end == kForever for an interval still open.
struct Interval {
  Timestamp begin = 0;
  Timestamp end = 0;
};
inline constexpr Timestamp kForever = INT64_MAX;

// How far ahead the arithmetic looks before it gives up (a calendar with
// almost no working time, e.g. one working day a week and every one of
// them a holiday).
inline constexpr int kMaxCalendarDays = 3 * 366;

// The instant at which `work` of counted time has passed since `start`:
// inside the calendar and outside every interval of `pauses` (sorted by
// begin, not overlapping). nullopt if that is not within kMaxCalendarDays,
// or never because a pause is open-ended.
std::optional<Timestamp> AddWorkingTime(const BusinessCalendar& calendar, const ZoneClock& zone, Timestamp start,
                                        Duration work, std::span<const Interval> pauses = {});

// Counted time in [from, to): inside the calendar, outside the pauses.
Duration WorkingTimeBetween(const BusinessCalendar& calendar, const ZoneClock& zone, Timestamp from, Timestamp to,
                            std::span<const Interval> pauses = {});

// Monday = 0 .. Sunday = 6 for a day number (days since 1970-01-01).
constexpr int WeekdayOf(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

}  // namespace ticketd::domain

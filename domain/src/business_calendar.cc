#include "ticketd/domain/business_calendar.h"

#include <algorithm>

namespace ticketd::domain {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

bool IsHoliday(const BusinessCalendar& calendar, std::int64_t day) {
  return std::binary_search(calendar.holidays.begin(), calendar.holidays.end(), static_cast<std::int32_t>(day));
}

// Calls fn(begin, end) for each calendar window that ends after `from`, in
// order, clipped to start no earlier than `from`, until fn returns false or
// kMaxCalendarDays local days have been looked at.
template <class Fn>
void ForEachWindow(const BusinessCalendar& calendar, const ZoneClock& zone, Timestamp from, Fn&& fn) {
  if (calendar.always_open) {
    fn(from, kForever);
    return;
  }
  const std::int64_t from_seconds = FloorDiv(from, kMicrosPerSecond);
  // Start a day early: a window of the previous local day may still be open.
  const std::int64_t first_day = FloorDiv(zone.ToLocal(from_seconds), kSecondsPerDay) - 1;
  for (std::int64_t day = first_day; day < first_day + kMaxCalendarDays; ++day) {
    if (!calendar.working_days[static_cast<std::size_t>(WeekdayOf(day))] || IsHoliday(calendar, day)) continue;
    const Timestamp begin = zone.ToUtc(day * kSecondsPerDay + calendar.from_minute * 60) * kMicrosPerSecond;
    const Timestamp end = zone.ToUtc(day * kSecondsPerDay + calendar.to_minute * 60) * kMicrosPerSecond;
    if (end <= from || end <= begin) continue;
    if (!fn(std::max(begin, from), end)) return;
  }
}

// Calls fn(begin, end) for the parts of [begin, end) outside every pause.
// Returns false if fn did.
template <class Fn>
bool ForEachUnpaused(Timestamp begin, Timestamp end, std::span<const Interval> pauses, Fn&& fn) {
  Timestamp at = begin;
  for (const Interval& pause : pauses) {
    if (pause.end <= at) continue;
    if (pause.begin >= end) break;
    if (pause.begin > at && !fn(at, pause.begin)) return false;
    at = std::max(at, pause.end);
    if (at >= end) return true;
  }
  return at >= end || fn(at, end);
}

}  // namespace

std::optional<Timestamp> AddWorkingTime(const BusinessCalendar& calendar, const ZoneClock& zone, Timestamp start,
                                        Duration work, std::span<const Interval> pauses) {
  std::optional<Timestamp> due;
  Duration remaining = std::max<Duration>(work, 0);
  ForEachWindow(calendar, zone, start, [&](Timestamp begin, Timestamp end) {
    return ForEachUnpaused(begin, end, pauses, [&](Timestamp a, Timestamp b) {
      if (b == kForever || remaining <= b - a) {
        due = a + remaining;
        return false;
      }
      remaining -= b - a;
      return true;
    });
  });
  return due;
}

Duration WorkingTimeBetween(const BusinessCalendar& calendar, const ZoneClock& zone, Timestamp from, Timestamp to,
                            std::span<const Interval> pauses) {
  Duration total = 0;
  if (to <= from) return 0;
  ForEachWindow(calendar, zone, from, [&](Timestamp begin, Timestamp end) {
    if (begin >= to) return false;
    return ForEachUnpaused(begin, std::min(end, to), pauses, [&](Timestamp a, Timestamp b) {
      total += b - a;
      return true;
    });
  });
  return total;
}

}  // namespace ticketd::domain

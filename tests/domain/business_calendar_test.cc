// The calendar arithmetic of SLA targets: working days and hours in a time
// zone, holidays, paused intervals, DST changes. Days run in microseconds.
#include "ticketd/domain/business_calendar.h"

#include <gtest/gtest.h>

#include <vector>

namespace ticketd::domain {
namespace {

constexpr Timestamp kHour = 3600 * kMicrosPerSecond;
constexpr Timestamp kMinute = 60 * kMicrosPerSecond;

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
std::int32_t Day(const char* date) { return static_cast<std::int32_t>(*ParseDate(date) / kMicrosPerDay); }

// A zone at UTC+1 that moves to UTC+2 at `switch_utc` (as Europe/Berlin
// does on the last Sunday of March at 01:00 UTC). Local times in the gap
// (02:00-03:00 local) map to the end of the gap.
class SpringForwardZone final : public ZoneClock {
 public:
  explicit SpringForwardZone(std::int64_t switch_utc_seconds) : switch_(switch_utc_seconds) {}
  std::int64_t ToLocal(std::int64_t utc) const override { return utc + (utc < switch_ ? 3600 : 7200); }
  std::int64_t ToUtc(std::int64_t local) const override {
    if (local - 3600 < switch_) return local - 3600;  // before the gap
    if (local - 7200 >= switch_) return local - 7200;  // after it
    return switch_;                                    // inside it
  }

 private:
  std::int64_t switch_;
};

BusinessCalendar NineToFiveWeekdays() {
  BusinessCalendar calendar;
  calendar.always_open = false;
  calendar.working_days = {true, true, true, true, true, false, false};
  calendar.from_minute = 9 * 60;
  calendar.to_minute = 17 * 60;
  return calendar;
}

TEST(BusinessCalendar, AlwaysOpenAddsPlainTime) {
  BusinessCalendar always;
  UtcZoneClock utc;
  EXPECT_EQ(AddWorkingTime(always, utc, At("2026-12-01T10:00:00Z"), 4 * kHour), At("2026-12-01T14:00:00Z"));
  EXPECT_EQ(WorkingTimeBetween(always, utc, At("2026-12-01T10:00:00Z"), At("2026-12-02T10:00:00Z")), 24 * kHour);
}

TEST(BusinessCalendar, WorkingHoursCarryOverToTheNextWorkingDay) {
  UtcZoneClock utc;
  // Tuesday 15:00 + 4 h: 2 h today, 2 h from Wednesday 09:00.
  EXPECT_EQ(AddWorkingTime(NineToFiveWeekdays(), utc, At("2026-12-01T15:00:00Z"), 4 * kHour),
            At("2026-12-02T11:00:00Z"));
  // Before opening counts from 09:00.
  EXPECT_EQ(AddWorkingTime(NineToFiveWeekdays(), utc, At("2026-12-01T06:00:00Z"), 30 * kMinute),
            At("2026-12-01T09:30:00Z"));
  // Exactly the rest of the day ends at closing time, not the next morning.
  EXPECT_EQ(AddWorkingTime(NineToFiveWeekdays(), utc, At("2026-12-01T13:00:00Z"), 4 * kHour),
            At("2026-12-01T17:00:00Z"));
}

TEST(BusinessCalendar, WeekendsAndHolidaysDoNotCount) {
  UtcZoneClock utc;
  BusinessCalendar calendar = NineToFiveWeekdays();
  // Friday 16:00 + 2 h: 1 h Friday, 1 h Monday.
  EXPECT_EQ(AddWorkingTime(calendar, utc, At("2026-12-04T16:00:00Z"), 2 * kHour), At("2026-12-07T10:00:00Z"));
  // Thursday 24 Dec 16:00 + 2 h, 25 Dec a holiday (a Friday): Monday 28th 10:00.
  calendar.holidays = {Day("2026-12-25")};
  EXPECT_EQ(AddWorkingTime(calendar, utc, At("2026-12-24T16:00:00Z"), 2 * kHour), At("2026-12-28T10:00:00Z"));
  EXPECT_EQ(WorkingTimeBetween(calendar, utc, At("2026-12-24T00:00:00Z"), At("2026-12-29T00:00:00Z")),
            16 * kHour);  // the 24th and the 28th
}

TEST(BusinessCalendar, PausesAcrossAWeekendStopTheClock) {
  UtcZoneClock utc;
  // On hold from Friday 10:00 to Monday 11:00: Friday 09:00 + 3 h = 1 h
  // Friday, then from Monday 11:00 two more hours.
  const std::vector<Interval> pauses = {{At("2026-12-04T10:00:00Z"), At("2026-12-07T11:00:00Z")}};
  EXPECT_EQ(AddWorkingTime(NineToFiveWeekdays(), utc, At("2026-12-04T09:00:00Z"), 3 * kHour, pauses),
            At("2026-12-07T13:00:00Z"));
  EXPECT_EQ(WorkingTimeBetween(NineToFiveWeekdays(), utc, At("2026-12-04T09:00:00Z"), At("2026-12-07T13:00:00Z"),
                               pauses),
            3 * kHour);
}

TEST(BusinessCalendar, AnOpenPauseMeansNoDueTime) {
  UtcZoneClock utc;
  const std::vector<Interval> pauses = {{At("2026-12-01T10:00:00Z"), kForever}};
  EXPECT_FALSE(AddWorkingTime(NineToFiveWeekdays(), utc, At("2026-12-01T09:00:00Z"), 2 * kHour, pauses));
  EXPECT_EQ(AddWorkingTime(NineToFiveWeekdays(), utc, At("2026-12-01T09:00:00Z"), 30 * kMinute, pauses),
            At("2026-12-01T09:30:00Z"));
}

TEST(BusinessCalendar, WorkingHoursFollowTheLocalClockAcrossDst) {
  // 2027-03-28: Berlin moves from UTC+1 to UTC+2 at 01:00 UTC. Friday 26th
  // 16:00 local (15:00 UTC) + 2 working hours: 1 h Friday, then Monday
  // 29th 09:00 local, which is now 07:00 UTC: due 08:00 UTC.
  SpringForwardZone berlin(At("2027-03-28T01:00:00Z") / kMicrosPerSecond);
  EXPECT_EQ(AddWorkingTime(NineToFiveWeekdays(), berlin, At("2027-03-26T15:00:00Z"), 2 * kHour),
            At("2027-03-29T08:00:00Z"));
  // A Sunday working day whose hours span the gap (00:00-06:00 local)
  // has only 5 real hours.
  BusinessCalendar night;
  night.always_open = false;
  night.working_days = {false, false, false, false, false, false, true};
  night.from_minute = 0;
  night.to_minute = 6 * 60;
  EXPECT_EQ(WorkingTimeBetween(night, berlin, At("2027-03-27T00:00:00Z"), At("2027-03-29T00:00:00Z")), 5 * kHour);
}

TEST(BusinessCalendar, ACalendarWithoutWorkingTimeGivesUp) {
  UtcZoneClock utc;
  BusinessCalendar never = NineToFiveWeekdays();
  never.working_days = {};
  EXPECT_FALSE(AddWorkingTime(never, utc, At("2026-12-01T09:00:00Z"), kHour));
  EXPECT_EQ(WorkingTimeBetween(never, utc, At("2026-12-01T00:00:00Z"), At("2027-12-01T00:00:00Z")), 0);
}

TEST(BusinessCalendar, WeekdaysOfDayNumbers) {
  EXPECT_EQ(WeekdayOf(0), 3);                  // 1970-01-01 was a Thursday
  EXPECT_EQ(WeekdayOf(Day("2026-12-01")), 1);  // a Tuesday
  EXPECT_EQ(WeekdayOf(-1), 2);                 // 1969-12-31, a Wednesday
}

}  // namespace
}  // namespace ticketd::domain

// The SLA scheduler's bookkeeping with a fake clock: deadlines fire once,
// earliest first, follow ticket changes, and cost O(log n) per change.
// Days run in microseconds. Also the real time zones behind ZoneClock.
#include "ticketd/app/sla_scheduler.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstring>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <mutex>
#include <vector>

#include "ticketd/app/engine.h"
#include "ticketd/app/time_zones.h"
#include "ticketd/domain/sla.h"

namespace ticketd::app {
namespace {

using domain::Deadline;
using domain::TimerKind;
constexpr domain::Timestamp kHour = 3600 * domain::kMicrosPerSecond;

class FakeClock final : public SchedulerClock {
 public:
  domain::Timestamp Now() const override { return now; }
  domain::Timestamp now = 0;
};

domain::Id IdOf(std::uint8_t n) {
  domain::Id id;
  id.bytes[15] = n;
  return id;
}

struct Fixture {
  FakeClock clock;
  std::vector<DueTimer> fired;
  SlaScheduler scheduler{clock, [this](const DueTimer& t) { fired.push_back(t); }};
};

TEST(SlaScheduler, FiresDueDeadlinesOnceEarliestFirst) {
  Fixture f;
  f.scheduler.Update(IdOf(1), IdOf(10), {{TimerKind::kResolution, 8 * kHour}, {TimerKind::kFirstResponse, kHour}});
  f.scheduler.Update(IdOf(1), IdOf(11), {{TimerKind::kFirstResponse, 2 * kHour}});
  EXPECT_EQ(f.scheduler.NextDue(), kHour);
  EXPECT_EQ(f.scheduler.RunDue(kHour - 1), 0u);
  EXPECT_EQ(f.scheduler.RunDue(3 * kHour), 2u);
  ASSERT_EQ(f.fired.size(), 2u);
  EXPECT_EQ(f.fired[0].ticket_id, IdOf(10));
  EXPECT_EQ(f.fired[0].kind, TimerKind::kFirstResponse);
  EXPECT_EQ(f.fired[1].ticket_id, IdOf(11));
  EXPECT_EQ(f.scheduler.RunDue(3 * kHour), 0u);  // once
  EXPECT_EQ(f.scheduler.PendingCount(), 1u);
  EXPECT_EQ(f.scheduler.RunDue(30 * 24 * kHour), 1u);
  EXPECT_EQ(f.fired.back().kind, TimerKind::kResolution);
  EXPECT_EQ(f.fired.back().due_at, 8 * kHour);
}

TEST(SlaScheduler, AChangeReplacesATicketsDeadlines) {
  Fixture f;
  f.scheduler.Update(IdOf(1), IdOf(10), {{TimerKind::kFirstResponse, kHour}});
  f.scheduler.Update(IdOf(1), IdOf(10), {{TimerKind::kFirstResponse, 5 * kHour}});  // paused, resumed later
  EXPECT_EQ(f.scheduler.RunDue(2 * kHour), 0u);
  f.scheduler.Update(IdOf(1), IdOf(10), {});  // met, or deleted
  EXPECT_EQ(f.scheduler.PendingCount(), 0u);
  EXPECT_EQ(f.scheduler.RunDue(100 * kHour), 0u);
  EXPECT_TRUE(f.fired.empty());
}

TEST(SlaScheduler, ManyPendingDeadlinesAreCheapToKeep) {
  Fixture f;
  for (std::uint32_t i = 0; i < 100000; ++i) {
    domain::Id id;
    std::memcpy(id.bytes.data(), &i, sizeof i);
    f.scheduler.Update(IdOf(1), id, {{TimerKind::kResolution, (1000 + i) * kHour}});
  }
  EXPECT_EQ(f.scheduler.PendingCount(), 100000u);
  EXPECT_EQ(f.scheduler.NextDue(), 1000 * kHour);
  EXPECT_EQ(f.scheduler.RunDue(1009 * kHour), 10u);
}

TEST(SlaScheduler, ADeadlineMovedAndMovedBackFiresOnce) {
  Fixture f;
  f.scheduler.Update(IdOf(1), IdOf(10), {{TimerKind::kFirstResponse, kHour}});
  f.scheduler.Update(IdOf(1), IdOf(10), {{TimerKind::kFirstResponse, 2 * kHour}});
  f.scheduler.Update(IdOf(1), IdOf(10), {{TimerKind::kFirstResponse, kHour}});  // two heap entries for 1 h now
  EXPECT_EQ(f.scheduler.PendingCount(), 1u);
  EXPECT_EQ(f.scheduler.RunDue(3 * kHour), 1u);
  EXPECT_EQ(f.scheduler.RunDue(3 * kHour), 0u);
  ASSERT_EQ(f.fired.size(), 1u);
  EXPECT_EQ(f.fired[0].due_at, kHour);
  EXPECT_EQ(f.fired[0].tenant_id, IdOf(1));
}

// The flat table against a plain ordered set, through random changes that
// leave many stale heap entries behind (and so rebuild the heap).
TEST(SlaScheduler, RandomChangesFireLikeAnOrderedSet) {
  Fixture f;
  std::mt19937_64 random(12);
  using Key = std::tuple<domain::Timestamp, std::array<std::uint8_t, 16>, TimerKind>;
  std::set<Key> expected;
  std::map<std::uint32_t, std::vector<Deadline>> current;
  auto ticket = [](std::uint32_t n) {
    domain::Id id;
    std::memcpy(id.bytes.data(), &n, sizeof n);
    id.bytes[15] = 0x5a;
    return id;
  };
  domain::Timestamp now = 0;
  for (int round = 0; round < 40; ++round) {
    for (int change = 0; change < 500; ++change) {
      const std::uint32_t n = random() % 3000;
      std::vector<Deadline> deadlines;
      for (TimerKind kind : {TimerKind::kFirstResponse, TimerKind::kResolution, TimerKind::kAutoClose})
        if (random() % 2) deadlines.push_back({kind, now + 1 + static_cast<domain::Timestamp>(random() % (50 * kHour))});
      for (const Deadline& d : current[n]) expected.erase(Key{d.due_at, ticket(n).bytes, d.kind});
      for (const Deadline& d : deadlines) expected.insert(Key{d.due_at, ticket(n).bytes, d.kind});
      current[n] = deadlines;
      f.scheduler.Update(IdOf(1), ticket(n), deadlines);
    }
    ASSERT_EQ(f.scheduler.PendingCount(), expected.size());
    ASSERT_EQ(f.scheduler.NextDue(), expected.empty() ? std::nullopt : std::optional(std::get<0>(*expected.begin())));
    now += kHour;
    f.fired.clear();
    const std::size_t fired = f.scheduler.RunDue(now);
    ASSERT_EQ(fired, f.fired.size());
    for (const DueTimer& t : f.fired) {
      ASSERT_FALSE(expected.empty());
      EXPECT_EQ(*expected.begin(), (Key{t.due_at, t.ticket_id.bytes, t.kind}));  // earliest first, once
      expected.erase(expected.begin());
      std::uint32_t n;
      std::memcpy(&n, t.ticket_id.bytes.data(), sizeof n);
      std::erase(current[n], Deadline{t.kind, t.due_at});
    }
    EXPECT_TRUE(expected.empty() || std::get<0>(*expected.begin()) > now);
  }
}

TEST(SlaScheduler, TheThreadFiresWithinASecondOfTheRealClock) {
  SystemSchedulerClock clock;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<DueTimer> fired;
  SlaScheduler scheduler(clock, [&](const DueTimer& t) {
    std::lock_guard lock(mu);
    fired.push_back(t);
    cv.notify_all();
  });
  scheduler.Start();
  const domain::Timestamp due = clock.Now() + 50'000;  // 50 ms
  scheduler.Update(IdOf(1), IdOf(2), {{TimerKind::kAutoClose, due}});
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return !fired.empty(); }));
  EXPECT_LT(clock.Now() - due, domain::kMicrosPerSecond);
  lock.unlock();
  scheduler.Stop();
}

TEST(SlaTimerIds, AreDerivedFromTicketKindAndDueTime) {
  domain::FireTimer a;
  a.header.ticket_id = IdOf(7);
  a.kind = TimerKind::kResolution;
  a.due_at = 42;
  domain::FireTimer b = a;
  EXPECT_EQ(TimerEventId(a), TimerEventId(b));
  b.due_at = 43;
  EXPECT_NE(TimerEventId(a), TimerEventId(b));
  b = a;
  b.kind = TimerKind::kFirstResponse;
  EXPECT_NE(TimerEventId(a), TimerEventId(b));
}

TEST(TimeZones, RealZonesFollowDst) {
  EXPECT_TRUE(IsKnownTimeZone("Europe/Berlin"));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus"));
  const domain::ZoneClock& berlin = ZoneClockFor("Europe/Berlin");
  const std::int64_t winter = *domain::ParseRfc3339("2026-01-15T12:00:00Z") / domain::kMicrosPerSecond;
  const std::int64_t summer = *domain::ParseRfc3339("2026-07-15T12:00:00Z") / domain::kMicrosPerSecond;
  EXPECT_EQ(berlin.ToLocal(winter) - winter, 3600);
  EXPECT_EQ(berlin.ToLocal(summer) - summer, 7200);
  EXPECT_EQ(berlin.ToUtc(berlin.ToLocal(summer)), summer);
  // 2026-03-29 02:30 local does not exist in Berlin: the gap ends at 01:00 UTC.
  const std::int64_t gap_local = *domain::ParseRfc3339("2026-03-29T02:30:00Z") / domain::kMicrosPerSecond;
  EXPECT_EQ(berlin.ToUtc(gap_local), *domain::ParseRfc3339("2026-03-29T01:00:00Z") / domain::kMicrosPerSecond);
}

TEST(TimeZones, OfficeHoursInBerlinAcrossTheSpringChange) {
  // Friday 2026-03-27 16:00 Berlin (15:00 UTC, CET) + 2 working hours of
  // 9-17 Mon-Fri: Monday 10:00 Berlin, which is 08:00 UTC in CEST.
  domain::BusinessCalendar calendar;
  calendar.always_open = false;
  calendar.working_days = {true, true, true, true, true, false, false};
  calendar.time_zone = "Europe/Berlin";
  const auto due = domain::AddWorkingTime(calendar, ZoneClockFor("Europe/Berlin"),
                                          *domain::ParseRfc3339("2026-03-27T15:00:00Z"), 2 * kHour);
  EXPECT_EQ(due, *domain::ParseRfc3339("2026-03-30T08:00:00Z"));
}

}  // namespace
}  // namespace ticketd::app

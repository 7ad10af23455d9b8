// SLA policies and the SLA clock (WORKFLOW.md "SLA policies"): durations,
// validation, matching, and due times under calendars, holidays, DST,
// pauses and policy changes. Days run in microseconds.
#include "ticketd/domain/sla.h"

#include <gtest/gtest.h>

#include "ticketd/domain/iso_duration.h"

namespace ticketd::domain {
namespace {

constexpr Timestamp kHour = 3600 * kMicrosPerSecond;
constexpr Timestamp kMinute = 60 * kMicrosPerSecond;

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

// UTC-5 until `switch_utc`, UTC-6 after (America/Chicago falling back on the
// first Sunday of November at 07:00 UTC). Repeated local times map to their
// first occurrence.
class FallBackZone final : public ZoneClock {
 public:
  explicit FallBackZone(std::int64_t switch_utc_seconds) : switch_(switch_utc_seconds) {}
  std::int64_t ToLocal(std::int64_t utc) const override { return utc - (utc < switch_ ? 5 : 6) * 3600; }
  std::int64_t ToUtc(std::int64_t local) const override {
    return local + 5 * 3600 < switch_ ? local + 5 * 3600 : local + 6 * 3600;
  }

 private:
  std::int64_t switch_;
};

SlaPolicy Policy24x7(Duration first_response, Duration resolution) {
  SlaPolicy policy;
  policy.name = "24x7";
  policy.first_response = first_response;
  policy.resolution = resolution;
  policy.pause_on = DefaultPauseOn();
  return policy;
}

SlaPolicy OfficeHours(Duration first_response, Duration resolution) {
  SlaPolicy policy = Policy24x7(first_response, resolution);
  policy.calendar.always_open = false;
  policy.calendar.working_days = {true, true, true, true, true, false, false};
  policy.calendar.from_minute = 9 * 60;
  policy.calendar.to_minute = 17 * 60;
  return policy;
}

// A history with the creation time the clock takes beside it (the ticket
// holds it once, as created_at).
struct History : SlaHistory {
  Timestamp created_at = 0;
};
History CreatedAt(const char* when) { return History{SlaHistory{}, At(when)}; }
History& Then(History& history, const char* when, TicketStatus to) {
  history.changes.push_back({At(when), to});
  return history;
}

const UtcZoneClock kUtc;

SlaClock Clock(const SlaPolicy& policy, const ZoneClock& zone, const History& history) {
  return ComputeSlaClock(policy, zone, history.created_at, history);
}

Id IdOf(std::uint8_t n) {
  Id id;
  id.bytes[15] = n;
  return id;
}

TEST(IsoDuration, ParsesTheContractsForms) {
  EXPECT_EQ(ParseIsoDuration("PT30S"), 30 * kMicrosPerSecond);
  EXPECT_EQ(ParseIsoDuration("PT4H"), 4 * kHour);
  EXPECT_EQ(ParseIsoDuration("P2D"), 2 * kMicrosPerDay);
  EXPECT_EQ(ParseIsoDuration("P1DT12H30M"), kMicrosPerDay + 12 * kHour + 30 * kMinute);
  EXPECT_EQ(ParseIsoDuration("P2W"), 14 * kMicrosPerDay);
  EXPECT_EQ(ParseIsoDuration("P1Y"), 365 * kMicrosPerDay);
}

// Zero parses (PT0S); the policy and auto-close deciders refuse it (SlaPolicyValidation).
TEST(IsoDuration, RefusesMalformedAndAbsurd) {
  for (const char* bad : {"", "P", "PT", "4H", "PT4", "P4H", "PT2D", "P1DT", "PT-1S", "P1000Y",
                          "PT1H1H", "PT1S1M", "P1.5D", "pt1h", "PT99999999999999999999S", "P1D "})
    EXPECT_FALSE(ParseIsoDuration(bad).has_value()) << bad;
}

TEST(IsoDuration, FormatsCanonically) {
  EXPECT_EQ(FormatIsoDuration(2 * kMicrosPerSecond), "PT2S");
  EXPECT_EQ(FormatIsoDuration(7 * kMicrosPerDay), "P7D");
  EXPECT_EQ(FormatIsoDuration(kMicrosPerDay + 30 * kMinute), "P1DT30M");
  EXPECT_EQ(FormatIsoDuration(4 * kHour), "PT4H");
}

TEST(SlaPolicyValidation, NamesTheField) {
  SlaPolicy good = OfficeHours(kHour, 8 * kHour);
  EXPECT_FALSE(ValidateSlaPolicy(good).has_value());
  auto field_of = [&](auto mutate) {
    SlaPolicy policy = good;
    mutate(policy);
    std::optional<DomainError> error = ValidateSlaPolicy(policy);
    return error ? error->field : std::string("(valid)");
  };
  EXPECT_EQ(field_of([](SlaPolicy& p) { p.name.clear(); }), "name");
  EXPECT_EQ(field_of([](SlaPolicy& p) { p.first_response = 0; }), "first_response");
  EXPECT_EQ(field_of([](SlaPolicy& p) { p.resolution = -kHour; }), "resolution");
  EXPECT_EQ(field_of([](SlaPolicy& p) { p.calendar.to_minute = p.calendar.from_minute; }), "calendar.to");
  EXPECT_EQ(field_of([](SlaPolicy& p) { p.calendar.working_days = {}; }), "calendar.days");
  EXPECT_EQ(field_of([](SlaPolicy& p) { p.calendar.holidays.assign(10000, 0); }), "calendar.holidays");
  // A 24x7 calendar has no hours to check.
  EXPECT_EQ(field_of([](SlaPolicy& p) {
              p.calendar.always_open = true;
              p.calendar.working_days = {};
            }),
            "(valid)");
}

TEST(SlaPolicyChoice, FirstMatchingByOrder) {
  SlaPolicy urgent = Policy24x7(kHour, 4 * kHour);
  urgent.policy_id = IdOf(1);
  urgent.order = 1;
  urgent.applies_to.priority = {Priority::kUrgent, Priority::kHigh};
  SlaPolicy fallback = Policy24x7(8 * kHour, 5 * kMicrosPerDay);
  fallback.policy_id = IdOf(2);
  fallback.order = 9;
  SlaPolicy group_only = Policy24x7(kHour, kHour);
  group_only.policy_id = IdOf(3);
  group_only.order = 0;
  group_only.applies_to.group_id = {IdOf(7)};
  const std::vector<SlaPolicy> policies = {fallback, urgent, group_only};

  EXPECT_EQ(ChoosePolicy(policies, {Priority::kUrgent, TicketType::kIncident, std::nullopt})->policy_id,
            urgent.policy_id);
  EXPECT_EQ(ChoosePolicy(policies, {Priority::kLow, TicketType::kIncident, std::nullopt})->policy_id,
            fallback.policy_id);
  EXPECT_EQ(ChoosePolicy(policies, {Priority::kLow, TicketType::kIncident, IdOf(7)})->policy_id,
            group_only.policy_id);
  SlaPolicy incidents_only = urgent;
  incidents_only.applies_to = {{}, {TicketType::kIncident}, {}};
  const std::vector<SlaPolicy> only = {incidents_only};
  EXPECT_EQ(ChoosePolicy(only, {Priority::kLow, TicketType::kServiceRequest, std::nullopt}), nullptr);
}

TEST(SlaClock, TwentyFourSevenCountsPlainTime) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  SlaClock clock = Clock(Policy24x7(kHour, 8 * kHour), kUtc, history);
  EXPECT_EQ(clock.first_response_due_at, At("2026-12-01T11:00:00Z"));
  EXPECT_EQ(clock.resolution_due_at, At("2026-12-01T18:00:00Z"));
  EXPECT_FALSE(clock.paused);
  EXPECT_EQ(PendingDue(clock, SlaTarget::kFirstResponse), At("2026-12-01T11:00:00Z"));
  EXPECT_FALSE(IsMissed(clock, SlaTarget::kFirstResponse, At("2026-12-01T10:59:59Z")));
  EXPECT_TRUE(IsMissed(clock, SlaTarget::kFirstResponse, At("2026-12-01T11:00:00Z")));
}

TEST(SlaClock, FirstResponseIsTheEarlierOfStaffCommentAndInProgress) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  Then(history, "2026-12-01T10:40:00Z", TicketStatus::kInProgress);
  history.first_staff_comment_at = At("2026-12-01T10:20:00Z");
  SlaClock clock = Clock(Policy24x7(kHour, 8 * kHour), kUtc, history);
  EXPECT_EQ(clock.first_responded_at, At("2026-12-01T10:20:00Z"));
  EXPECT_EQ(PendingDue(clock, SlaTarget::kFirstResponse), std::nullopt);
  EXPECT_FALSE(IsMissed(clock, SlaTarget::kFirstResponse, At("2026-12-09T00:00:00Z")));

  history.first_staff_comment_at = At("2026-12-01T11:30:00Z");
  clock = Clock(Policy24x7(kHour, 8 * kHour), kUtc, history);
  EXPECT_EQ(clock.first_responded_at, At("2026-12-01T10:40:00Z"));
}

TEST(SlaClock, ALateResponseIsStillAMiss) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  Then(history, "2026-12-01T12:00:00Z", TicketStatus::kInProgress);
  SlaClock clock = Clock(Policy24x7(kHour, 8 * kHour), kUtc, history);
  EXPECT_EQ(clock.first_response_due_at, At("2026-12-01T11:00:00Z"));
  EXPECT_TRUE(IsMissed(clock, SlaTarget::kFirstResponse, At("2026-12-01T12:00:00Z")));
}

TEST(SlaClock, OfficeHoursCarryOverNightsAndWeekends) {
  // Friday 16:00 plus 2 working hours: Monday 10:00.
  History history = CreatedAt("2026-12-04T16:00:00Z");
  SlaClock clock = Clock(OfficeHours(2 * kHour, 16 * kHour), kUtc, history);
  EXPECT_EQ(clock.first_response_due_at, At("2026-12-07T10:00:00Z"));
  EXPECT_EQ(clock.resolution_due_at, At("2026-12-08T16:00:00Z"));
}

TEST(SlaClock, HolidaysDoNotCount) {
  SlaPolicy policy = OfficeHours(2 * kHour, 16 * kHour);
  policy.calendar.holidays = {static_cast<std::int32_t>(At("2026-12-07T00:00:00Z") / kMicrosPerDay)};
  SlaClock clock = Clock(policy, kUtc, CreatedAt("2026-12-04T16:00:00Z"));
  EXPECT_EQ(clock.first_response_due_at, At("2026-12-08T10:00:00Z"));
}

TEST(SlaClock, OnHoldAcrossAWeekendStopsTheClock) {
  // Created Friday 10:00 (2 h used by 12:00), on hold 12:00 Friday until
  // Monday 13:00: the remaining 6 h of resolution run Monday 13:00-17:00 and
  // Tuesday 9:00-11:00.
  History history = CreatedAt("2026-12-04T10:00:00Z");
  Then(history, "2026-12-04T11:00:00Z", TicketStatus::kInProgress);
  Then(history, "2026-12-04T12:00:00Z", TicketStatus::kOnHold);
  SlaPolicy policy = OfficeHours(2 * kHour, 8 * kHour);
  SlaClock paused = Clock(policy, kUtc, history);
  EXPECT_TRUE(paused.paused);
  EXPECT_EQ(paused.resolution_due_at, std::nullopt);  // unknown while paused
  EXPECT_EQ(paused.first_responded_at, At("2026-12-04T11:00:00Z"));
  EXPECT_EQ(paused.first_response_due_at, At("2026-12-04T12:00:00Z"));

  Then(history, "2026-12-07T13:00:00Z", TicketStatus::kInProgress);
  SlaClock running = Clock(policy, kUtc, history);
  EXPECT_FALSE(running.paused);
  EXPECT_EQ(running.resolution_due_at, At("2026-12-08T11:00:00Z"));
}

TEST(SlaClock, PauseStatusesComeFromThePolicy) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  Then(history, "2026-12-01T10:30:00Z", TicketStatus::kOnHold);
  Then(history, "2026-12-01T12:30:00Z", TicketStatus::kOpen);
  SlaPolicy policy = Policy24x7(kHour, 8 * kHour);
  EXPECT_EQ(Clock(policy, kUtc, history).first_response_due_at, At("2026-12-01T13:00:00Z"));
  policy.pause_on = {};  // nothing pauses
  EXPECT_EQ(Clock(policy, kUtc, history).first_response_due_at, At("2026-12-01T11:00:00Z"));
}

TEST(SlaClock, ResolvedStopsTheClockAndAReopenResumesIt) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  Then(history, "2026-12-01T10:10:00Z", TicketStatus::kInProgress);
  Then(history, "2026-12-01T12:00:00Z", TicketStatus::kResolved);
  SlaPolicy policy = Policy24x7(kHour, 4 * kHour);
  SlaClock resolved = Clock(policy, kUtc, history);
  EXPECT_EQ(resolved.resolved_at, At("2026-12-01T12:00:00Z"));
  EXPECT_EQ(resolved.resolution_due_at, At("2026-12-01T14:00:00Z"));
  EXPECT_FALSE(IsMissed(resolved, SlaTarget::kResolution, At("2026-12-02T00:00:00Z")));

  // Reopened 3 h later: 2 h were used, 2 h remain from 15:00.
  Then(history, "2026-12-01T15:00:00Z", TicketStatus::kOpen);
  SlaClock reopened = Clock(policy, kUtc, history);
  EXPECT_EQ(reopened.resolved_at, std::nullopt);
  EXPECT_EQ(reopened.resolution_due_at, At("2026-12-01T17:00:00Z"));
  EXPECT_EQ(PendingDue(reopened, SlaTarget::kResolution), At("2026-12-01T17:00:00Z"));
}

TEST(SlaClock, ResolvingWithoutAResponseIsNoMissedResponse) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  Then(history, "2026-12-01T10:30:00Z", TicketStatus::kResolved);
  SlaClock clock = Clock(Policy24x7(kHour, 4 * kHour), kUtc, history);
  EXPECT_EQ(PendingDue(clock, SlaTarget::kFirstResponse), std::nullopt);
  EXPECT_FALSE(IsMissed(clock, SlaTarget::kFirstResponse, At("2026-12-05T00:00:00Z")));
}

TEST(SlaClock, CancelledStopsBothClocks) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  Then(history, "2026-12-01T10:30:00Z", TicketStatus::kCancelled);
  SlaClock clock = Clock(Policy24x7(kHour, 4 * kHour), kUtc, history);
  EXPECT_EQ(PendingDue(clock, SlaTarget::kFirstResponse), std::nullopt);
  EXPECT_EQ(PendingDue(clock, SlaTarget::kResolution), std::nullopt);
}

TEST(SlaClock, WorkingHoursFollowTheLocalClockWhenDstEnds) {
  // Chicago falls back on Sunday 2026-11-01 at 07:00 UTC. Friday 16:00
  // local (21:00 UTC) plus 2 working hours is Monday 10:00 local, which is
  // 16:00 UTC after the change (not 15:00 as before it).
  const FallBackZone chicago(At("2026-11-01T07:00:00Z") / kMicrosPerSecond);
  SlaClock clock = Clock(OfficeHours(2 * kHour, 8 * kHour), chicago, CreatedAt("2026-10-30T21:00:00Z"));
  EXPECT_EQ(clock.first_response_due_at, At("2026-11-02T16:00:00Z"));
}

TEST(SlaClock, APolicyChangeMidFlightCountsFromCreationNotFromNow) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  Then(history, "2026-12-01T10:05:00Z", TicketStatus::kInProgress);
  // The ticket was under an 8 h policy; a priority change moves it to a 2 h
  // one: its resolution target is 2 h after creation, already passed.
  SlaClock before = Clock(Policy24x7(kHour, 8 * kHour), kUtc, history);
  SlaClock after = Clock(Policy24x7(kHour, 2 * kHour), kUtc, history);
  EXPECT_EQ(before.resolution_due_at, At("2026-12-01T18:00:00Z"));
  EXPECT_EQ(after.resolution_due_at, At("2026-12-01T12:00:00Z"));
  EXPECT_TRUE(IsMissed(after, SlaTarget::kResolution, At("2026-12-01T15:00:00Z")));
  EXPECT_FALSE(IsMissed(before, SlaTarget::kResolution, At("2026-12-01T15:00:00Z")));
}

TEST(SlaClock, SecondLongTargetsWork) {
  History history = CreatedAt("2026-12-01T10:00:00Z");
  SlaClock clock = Clock(Policy24x7(2 * kMicrosPerSecond, 3 * kMicrosPerSecond), kUtc, history);
  EXPECT_EQ(clock.first_response_due_at, At("2026-12-01T10:00:02Z"));
  EXPECT_EQ(clock.resolution_due_at, At("2026-12-01T10:00:03Z"));
}

TEST(SlaEscalation, RaisesOneStepUpToUrgent) {
  EXPECT_EQ(RaisedPriority(Priority::kLow), Priority::kMedium);
  EXPECT_EQ(RaisedPriority(Priority::kMedium), Priority::kHigh);
  EXPECT_EQ(RaisedPriority(Priority::kHigh), Priority::kUrgent);
  EXPECT_EQ(RaisedPriority(Priority::kUrgent), std::nullopt);
}

}  // namespace
}  // namespace ticketd::domain

// SLA what-if (WORKFLOW.md simulate): per ticket, the candidate governs it
// when its applies_to matches, and the outcome is compared with the recorded
// breaches; counts and changes follow.
#include "ticketd/domain/sla_simulation.h"

#include <gtest/gtest.h>

namespace ticketd::domain {
namespace {

constexpr Timestamp kHour = 3600 * kMicrosPerSecond;
constexpr Timestamp kStart = 1'800'000'000 * kMicrosPerSecond;
const UtcZoneClock kUtc;

SlaPolicy Candidate(Duration first_response, Duration resolution) {
  SlaPolicy policy;
  policy.first_response = first_response;
  policy.resolution = resolution;
  policy.pause_on = DefaultPauseOn();
  return policy;
}

// Created at kStart, first answered `answered_after` later (by a move to
// in_progress), resolved `resolved_after` later if given; recorded breaches.
Ticket MakeTicket(std::int64_t number, Duration answered_after, std::optional<Duration> resolved_after,
                  std::vector<SlaTarget> recorded) {
  Ticket t;
  t.id.bytes[15] = static_cast<std::uint8_t>(number);
  t.number = number;
  t.created_at = kStart;
  t.sla_history.changes.push_back({kStart + answered_after, TicketStatus::kInProgress});
  if (resolved_after) t.sla_history.changes.push_back({kStart + *resolved_after, TicketStatus::kResolved});
  t.sla = TicketSla{Id{}, SlaClock{}, std::move(recorded)};
  return t;
}

TEST(SlaSimulation, MissedTargetsAtNow) {
  SlaClock clock{kStart + kHour, std::nullopt, kStart + 8 * kHour, std::nullopt, false};
  EXPECT_TRUE(MissedTargets(clock, kStart).empty());
  EXPECT_EQ(MissedTargets(clock, kStart + kHour), std::vector<SlaTarget>{SlaTarget::kFirstResponse});
  clock.first_responded_at = kStart + 30 * 60 * kMicrosPerSecond;  // met in time
  clock.resolved_at = kStart + 9 * kHour;                          // met late
  EXPECT_EQ(MissedTargets(clock, kStart + 100 * kHour), std::vector<SlaTarget>{SlaTarget::kResolution});
}

TEST(SlaSimulation, ATighterCandidateTurnsKeptTicketsIntoBreaches) {
  const Timestamp now = kStart + 100 * kHour;
  const SlaPolicy tight = Candidate(kHour, 4 * kHour);
  SlaSimulation out;
  // Answered in 2 h, resolved in 3 h: kept before, misses the 1 h response now.
  SimulateTicket(tight, kUtc, MakeTicket(1, 2 * kHour, 3 * kHour, {}), now, &out);
  // Answered in 30 min, resolved in 2 h: kept under both.
  SimulateTicket(tight, kUtc, MakeTicket(2, kHour / 2, 2 * kHour, {}), now, &out);
  // Recorded resolution breach, resolved in 3 h: kept under the candidate.
  SimulateTicket(tight, kUtc, MakeTicket(3, kHour / 2, 3 * kHour, {SlaTarget::kResolution}), now, &out);
  // Still open after 100 h: misses resolution under both.
  SimulateTicket(tight, kUtc, MakeTicket(4, kHour / 2, std::nullopt, {SlaTarget::kResolution}), now, &out);
  EXPECT_EQ(out.tickets, 4u);
  EXPECT_EQ(out.breached_now, 2u);
  EXPECT_EQ(out.would_breach, 2u);
  ASSERT_EQ(out.changed.size(), 2u);
  EXPECT_EQ(out.changed[0].number, 1);
  EXPECT_TRUE(out.changed[0].before.empty());
  EXPECT_EQ(out.changed[0].after, std::vector<SlaTarget>{SlaTarget::kFirstResponse});
  EXPECT_EQ(out.changed[1].number, 3);
  EXPECT_EQ(out.changed[1].before, std::vector<SlaTarget>{SlaTarget::kResolution});
  EXPECT_TRUE(out.changed[1].after.empty());
}

TEST(SlaSimulation, ATicketTheCandidateDoesNotMatchKeepsItsRealOutcome) {
  SlaPolicy urgent_only = Candidate(kHour / 60, kHour / 60);
  urgent_only.applies_to.priority = {Priority::kUrgent};
  SlaSimulation out;
  Ticket medium = MakeTicket(1, 2 * kHour, std::nullopt, {SlaTarget::kFirstResponse});
  SimulateTicket(urgent_only, kUtc, medium, kStart + 10 * kHour, &out);
  Ticket no_sla = MakeTicket(2, 2 * kHour, std::nullopt, {});
  no_sla.sla.reset();
  SimulateTicket(urgent_only, kUtc, no_sla, kStart + 10 * kHour, &out);
  EXPECT_EQ(out.tickets, 2u);
  EXPECT_EQ(out.breached_now, 1u);
  EXPECT_EQ(out.would_breach, 1u);
  EXPECT_TRUE(out.changed.empty());
  // The same ticket without an SLA, urgent: the candidate now governs it.
  no_sla.priority = Priority::kUrgent;
  SimulateTicket(urgent_only, kUtc, no_sla, kStart + 10 * kHour, &out);
  ASSERT_EQ(out.changed.size(), 1u);
  EXPECT_EQ(out.changed[0].after, (std::vector<SlaTarget>{SlaTarget::kFirstResponse, SlaTarget::kResolution}));
}

TEST(SlaSimulation, PausesAndCalendarsCountAsInTheLiveClock) {
  // on_hold for 5 h before the answer: with the default pause the 1 h response was met.
  Ticket t = MakeTicket(1, 5 * kHour + kHour / 2, std::nullopt, {});
  t.sla_history.changes.insert(t.sla_history.changes.begin(), {kStart + kHour / 4, TicketStatus::kOnHold});
  t.sla_history.changes.insert(t.sla_history.changes.begin() + 1, {kStart + 5 * kHour, TicketStatus::kOpen});
  SlaSimulation out;
  SimulateTicket(Candidate(kHour, 100 * kHour), kUtc, t, kStart + 10 * kHour, &out);
  EXPECT_EQ(out.would_breach, 0u);
  SlaPolicy no_pause = Candidate(kHour, 100 * kHour);
  no_pause.pause_on = {};
  SimulateTicket(no_pause, kUtc, t, kStart + 10 * kHour, &out);
  EXPECT_EQ(out.would_breach, 1u);
}

}  // namespace
}  // namespace ticketd::domain

#include <gtest/gtest.h>

#include "ticket_builders.h"
#include "ticketd/domain/time.h"
#include "ticketd/projections/analytics_read_model.h"
#include "ticketd/projections/digest_read_model.h"

namespace ticketd::projections::testing {
namespace {

using domain::DomainEvent;
using domain::Priority;
using domain::TicketStatus;

constexpr domain::Timestamp kHour = 3600 * domain::kMicrosPerSecond;
const domain::Timestamp kDay = *domain::ParseDate("2026-11-22");

DomainEvent Event(const domain::Ticket& t, domain::EventPayload payload, domain::Timestamp at) {
  return DomainEvent{t.tenant_id, t.id, at, Tid(1000), std::move(payload)};
}

TEST(Digest, GroupsOpenWorkByPriorityWithOverdueFlags) {
  TicketReadModel tickets;
  DigestReadModel digest(tickets);
  auto add = [&](std::uint32_t n, Priority p, std::optional<domain::Timestamp> due, TicketStatus s) {
    domain::Ticket t = MakeTicket(n);
    t.priority = p;
    t.due_at = due;
    t.status = s;
    tickets.Upsert(Ptr(t));
    digest.OnTicketEvent(Event(t, domain::TicketCreated{}, 0), nullptr, Ptr(t));
    return t;
  };
  add(1, Priority::kLow, std::nullopt, TicketStatus::kOpen);
  add(2, Priority::kUrgent, kDay + 8 * kHour, TicketStatus::kInProgress);
  add(3, Priority::kUrgent, kDay + 6 * kHour, TicketStatus::kOpen);
  add(4, Priority::kUrgent, std::nullopt, TicketStatus::kOpen);
  domain::Ticket resolved = add(5, Priority::kHigh, kDay, TicketStatus::kOpen);
  domain::Ticket after = resolved;
  after.status = TicketStatus::kResolved;
  tickets.Upsert(Ptr(after));
  digest.OnTicketEvent(Event(after, domain::TicketStatusChanged{}, 1), Ptr(resolved), Ptr(after));

  Digest d = digest.Build(kTenantA, kDay);
  EXPECT_FALSE(d.skipped);
  ASSERT_EQ(d.groups.size(), 2u);
  EXPECT_EQ(d.groups[0].priority, Priority::kUrgent);
  ASSERT_EQ(d.groups[0].tickets.size(), 3u);
  EXPECT_EQ(d.groups[0].tickets[0].ticket->number, 3);
  EXPECT_TRUE(d.groups[0].tickets[0].overdue);  // due 06:00, before 07:00
  EXPECT_EQ(d.groups[0].tickets[1].ticket->number, 2);
  EXPECT_FALSE(d.groups[0].tickets[1].overdue);
  EXPECT_EQ(d.groups[0].tickets[2].ticket->number, 4);  // no due date last
  EXPECT_EQ(d.groups[1].priority, Priority::kLow);
  EXPECT_TRUE(digest.Build(kTenantB, kDay).skipped);
}

TEST(Analytics, CountsDurationsAndTakesDeletedTicketsBackOut) {
  AnalyticsReadModel analytics;
  domain::Ticket t = MakeTicket(1);
  t.created_at = kDay;
  t.category = "network";
  analytics.OnTicketEvent(Event(t, domain::TicketCreated{}, kDay), nullptr, Ptr(t));
  domain::Ticket working = t;
  working.status = TicketStatus::kInProgress;
  working.assignee_id = Tid(500);
  analytics.OnTicketEvent(
      Event(working, domain::TicketStatusChanged{TicketStatus::kOpen, TicketStatus::kInProgress},
            kDay + kHour),
      Ptr(t), Ptr(working));
  Analytics a = analytics.Snapshot(kTenantA, kDay + 10 * domain::kMicrosPerDay, kDefaultStaleAfter);
  EXPECT_EQ(a.by_status[static_cast<int>(TicketStatus::kInProgress)], 1);
  ASSERT_EQ(a.stale_in_progress.size(), 1u);
  EXPECT_EQ(a.stale_in_progress[0].since, kDay + kHour);
  ASSERT_EQ(a.per_assignee.size(), 1u);
  EXPECT_EQ(a.per_assignee[0].in_progress, 1);

  domain::Ticket resolved = working;
  resolved.status = TicketStatus::kResolved;
  analytics.OnTicketEvent(
      Event(resolved, domain::TicketStatusChanged{TicketStatus::kInProgress, TicketStatus::kResolved},
            kDay + 4 * kHour),
      Ptr(working), Ptr(resolved));
  domain::Ticket closed = resolved;
  closed.status = TicketStatus::kClosed;
  analytics.OnTicketEvent(
      Event(closed, domain::TicketStatusChanged{TicketStatus::kResolved, TicketStatus::kClosed},
            kDay + 6 * kHour),
      Ptr(resolved), Ptr(closed));
  a = analytics.Snapshot(kTenantA, kDay + domain::kMicrosPerDay, kDefaultStaleAfter);
  EXPECT_EQ(a.time_to_resolve.count, 1);
  EXPECT_DOUBLE_EQ(a.time_to_resolve.mean, 4.0);
  EXPECT_DOUBLE_EQ(a.time_to_close.p90, 6.0);
  ASSERT_EQ(a.closed_per_day.size(), 1u);
  EXPECT_EQ(a.closed_per_day[0].day, kDay);
  ASSERT_EQ(a.top_categories.size(), 1u);
  EXPECT_EQ(a.top_categories[0].category, "network");
  EXPECT_TRUE(a.stale_in_progress.empty());

  analytics.OnTicketEvent(Event(closed, domain::TicketDeleted{closed}, kDay + 7 * kHour), Ptr(closed),
                          nullptr);
  a = analytics.Snapshot(kTenantA, kDay + domain::kMicrosPerDay, kDefaultStaleAfter);
  EXPECT_EQ(a.by_status[static_cast<int>(TicketStatus::kClosed)], 0);
  EXPECT_TRUE(a.created_per_day.empty());
  EXPECT_TRUE(a.closed_per_day.empty());
  EXPECT_EQ(a.time_to_close.count, 0);
  EXPECT_TRUE(a.per_assignee.empty());
  EXPECT_TRUE(a.top_categories.empty());
}

}  // namespace
}  // namespace ticketd::projections::testing

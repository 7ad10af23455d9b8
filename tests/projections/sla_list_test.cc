// Workflow (issue 12) in the list: the `sla_breached` filter (only tickets
// with an SLA) and `sort=sla_due` (the earliest unmet due time first, none
// last in both directions), checked page by page against the reference,
// while tickets gain breaches, meet targets and lose their SLA.
#include <gtest/gtest.h>

#include <random>

#include "reference_query.h"
#include "ticketd/projections/sla_attainment.h"

namespace ticketd::projections::testing {
namespace {

// Ticket n: no SLA every 5th; otherwise due times spread so that some tie,
// some targets met, some breached.
domain::Ticket SlaTicket(std::uint32_t n, std::mt19937& rng) {
  domain::Ticket t = MakeTicket(n);
  if (rng() % 5 == 0) return t;
  domain::TicketSla sla;
  sla.policy_id = Tid(800);
  sla.clock.first_response_due_at = 1000 + static_cast<domain::Timestamp>(rng() % 50);
  sla.clock.resolution_due_at = 1000 + static_cast<domain::Timestamp>(rng() % 100);
  if (rng() % 3 == 0) sla.clock.first_responded_at = 900;
  if (rng() % 6 == 0) sla.clock.resolved_at = 950;
  if (rng() % 7 == 0) sla.clock.resolution_due_at.reset();  // paused
  if (rng() % 4 == 0) sla.breached = {domain::SlaTarget::kFirstResponse};
  t.sla = sla;
  return t;
}

void ExpectMatchesReference(const TicketReadModel& model, const std::vector<domain::Ticket>& tickets,
                            const TicketQuery& q) {
  std::size_t total = 0;
  const std::vector<domain::Ticket> expected = ReferenceQuery(tickets, q);
  EXPECT_EQ(IdsOf(WalkAllPages(model, kTenantA, q, &total)), IdsOf(expected));
  EXPECT_EQ(total, expected.size());
}

TEST(SlaList, BreachedFilterAndSlaDueSortMatchTheReferenceWhileTicketsChange) {
  std::mt19937 rng(12);
  TicketReadModel model;
  std::vector<domain::Ticket> tickets;
  for (std::uint32_t n = 1; n <= 400; ++n) {
    tickets.push_back(SlaTicket(n, rng));
    model.Upsert(Ptr(tickets.back()));
  }
  for (int round = 0; round < 3; ++round) {
    for (std::optional<bool> breached : {std::optional<bool>(), std::optional(true), std::optional(false)}) {
      for (bool descending : {false, true}) {
        for (std::size_t page_size : {std::size_t{7}, std::size_t{200}}) {
          TicketQuery q;
          q.sla_breached = breached;
          q.sort = {SortField::kSlaDue, descending};
          q.page_size = page_size;
          ExpectMatchesReference(model, tickets, q);
          q.statuses = {domain::TicketStatus::kOpen};  // through the queue-walk path's filter
          q.sort = {SortField::kQueue};
          ExpectMatchesReference(model, tickets, q);
        }
      }
    }
    for (domain::Ticket& t : tickets) {  // re-stamp a third of them
      if (rng() % 3 != 0) continue;
      t = SlaTicket(static_cast<std::uint32_t>(t.number), rng);
      model.Upsert(Ptr(t));
    }
  }
}

TEST(SlaList, SlaDueIsTheEarliestUnmetTargetAndNoneComesLast) {
  TicketReadModel model;
  domain::Ticket none = MakeTicket(1);
  domain::Ticket met = MakeTicket(2);  // both met: no unmet due time
  met.sla = domain::TicketSla{Tid(800), {5, 4, 6, 5, false}, {}};
  domain::Ticket resolution_first = MakeTicket(3);  // response met, resolution due at 50
  resolution_first.sla = domain::TicketSla{Tid(800), {10, 9, 50, std::nullopt, false}, {}};
  domain::Ticket response_first = MakeTicket(4);  // response due at 20, resolution at 100
  response_first.sla = domain::TicketSla{Tid(800), {20, std::nullopt, 100, std::nullopt, false}, {}};
  for (const auto& t : {none, met, resolution_first, response_first}) model.Upsert(Ptr(t));
  auto numbers = [&](bool descending) {
    TicketQuery q;
    q.sort = {SortField::kSlaDue, descending};
    TicketPage page;
    EXPECT_TRUE(model.Query(kTenantA, q, &page).ok());
    std::vector<std::int64_t> out;
    for (const auto& t : page.items) out.push_back(t->number);
    return out;
  };
  EXPECT_EQ(numbers(false), (std::vector<std::int64_t>{4, 3, 1, 2}));
  EXPECT_EQ(numbers(true), (std::vector<std::int64_t>{3, 4, 2, 1}));  // ties by id, reversed
  EXPECT_EQ(ParseSort("-sla_due")->field, SortField::kSlaDue);
}

TEST(SlaList, AttainmentCountsBreachedAndDoneTicketsByPriorityAndFollowsChanges) {
  TicketReadModel model;
  auto make = [](std::uint32_t n, domain::Priority priority, domain::TicketStatus status, bool has_sla, bool breached) {
    domain::Ticket t = MakeTicket(n);
    t.priority = priority;
    t.status = status;
    if (has_sla) t.sla = domain::TicketSla{Tid(800), {}, {}};
    if (breached) t.sla->breached = {domain::SlaTarget::kResolution};
    return t;
  };
  using P = domain::Priority;
  using S = domain::TicketStatus;
  model.Upsert(Ptr(make(1, P::kHigh, S::kResolved, true, false)));   // met
  model.Upsert(Ptr(make(2, P::kHigh, S::kClosed, true, true)));      // breached
  model.Upsert(Ptr(make(3, P::kHigh, S::kOpen, true, true)));        // breached, still open
  model.Upsert(Ptr(make(4, P::kHigh, S::kOpen, true, false)));       // not decided yet
  model.Upsert(Ptr(make(5, P::kHigh, S::kClosed, false, false)));    // no SLA
  model.Upsert(Ptr(make(6, P::kLow, S::kCancelled, true, false)));   // cancelled: neither
  auto high = [&] { return SlaAttainmentByPriority(model, kTenantA)[static_cast<std::size_t>(P::kHigh)]; };
  EXPECT_EQ(high().met, 1);
  EXPECT_EQ(high().breached, 2);
  EXPECT_EQ(SlaAttainmentByPriority(model, kTenantA)[static_cast<std::size_t>(P::kLow)].met, 0);
  model.Upsert(Ptr(make(4, P::kHigh, S::kResolved, true, false)));  // resolved in time
  model.Upsert(Ptr(make(3, P::kUrgent, S::kOpen, true, true)));     // escalated to urgent
  EXPECT_EQ(high().met, 2);
  EXPECT_EQ(high().breached, 1);
  EXPECT_EQ(SlaAttainmentByPriority(model, kTenantA)[static_cast<std::size_t>(P::kUrgent)].breached, 1);
}

}  // namespace
}  // namespace ticketd::projections::testing

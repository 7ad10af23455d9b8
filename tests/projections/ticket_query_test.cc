#include <gtest/gtest.h>

#include <random>
#include <set>

#include "ticket_builders.h"

namespace ticketd::projections::testing {
namespace {

using domain::Priority;
using domain::TicketStatus;

std::vector<std::int64_t> Numbers(const TicketPage& page) {
  std::vector<std::int64_t> out;
  for (const auto& t : page.items) out.push_back(t->number);
  return out;
}

TicketPage RunQuery(const TicketReadModel& model, TicketQuery query, const domain::Id& tenant = kTenantA) {
  TicketPage page;
  Status s = model.Query(tenant, query, &page);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return page;
}

class TicketQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (std::uint32_t n = 1; n <= 12; ++n) {
      domain::Ticket t = MakeTicket(n);
      t.status = domain::kAllStatuses[n % 6];
      t.priority = domain::kAllPriorities[n % 4];
      t.type = n % 2 ? domain::TicketType::kIncident : domain::TicketType::kServiceRequest;
      if (n % 3 == 0) t.assignee_id = Tid(500);
      if (n % 4 == 0) t.category = "network";
      if (n == 5) t.asset_id = Tid(600);
      if (n > 10) t.reporter_id = Tid(1001);
      model_.Upsert(Ptr(t));
    }
    model_.Upsert(Ptr(MakeTicket(99, kTenantB)));
  }
  TicketReadModel model_;
};

TEST_F(TicketQueryTest, EachFilterAloneAndCombined) {
  TicketQuery q;
  q.sort = {SortField::kNumber};
  q.statuses = {TicketStatus::kOpen, TicketStatus::kInProgress};
  EXPECT_EQ(Numbers(RunQuery(model_, q)), (std::vector<std::int64_t>{1, 6, 7, 12}));
  q = TicketQuery{};
  q.sort = {SortField::kNumber};
  q.assignees = {std::nullopt};
  EXPECT_EQ(RunQuery(model_, q).total, 8u);
  q.assignees = {Tid(500)};
  EXPECT_EQ(Numbers(RunQuery(model_, q)), (std::vector<std::int64_t>{3, 6, 9, 12}));
  q.categories = {"network"};
  EXPECT_EQ(Numbers(RunQuery(model_, q)), (std::vector<std::int64_t>{12}));
  q = TicketQuery{};
  q.asset_ids = {Tid(600)};
  EXPECT_EQ(Numbers(RunQuery(model_, q)), (std::vector<std::int64_t>{5}));
  q = TicketQuery{};
  q.sort = {SortField::kNumber};
  q.reporter_ids = {Tid(1001)};
  q.types = {domain::TicketType::kIncident};
  EXPECT_EQ(Numbers(RunQuery(model_, q)), (std::vector<std::int64_t>{11}));
  q = TicketQuery{};
  q.priorities = {Priority::kUrgent};
  EXPECT_EQ(RunQuery(model_, q).total, 3u);
}

TEST_F(TicketQueryTest, TenantsNeverSeeEachOther) {
  EXPECT_EQ(RunQuery(model_, TicketQuery{}).total, 12u);
  EXPECT_EQ(RunQuery(model_, TicketQuery{}, kTenantB).total, 1u);
  EXPECT_EQ(model_.Get(kTenantA, Tid(99, 2)), nullptr);
  EXPECT_NE(model_.Get(kTenantB, Tid(99, 2)), nullptr);
  EXPECT_EQ(RunQuery(model_, TicketQuery{}, Tid(0, 3)).total, 0u);
}

TEST(TicketQuery, QueueOrderIsPriorityThenDueThenOldestUpdate) {
  TicketReadModel model;
  auto add = [&](std::uint32_t n, Priority p, std::optional<domain::Timestamp> due,
                 domain::Timestamp updated) {
    domain::Ticket t = MakeTicket(n);
    t.priority = p;
    t.due_at = due;
    t.updated_at = updated;
    model.Upsert(Ptr(t));
  };
  add(1, Priority::kLow, 5, 1);
  add(2, Priority::kUrgent, std::nullopt, 1);
  add(3, Priority::kUrgent, 50, 9);
  add(4, Priority::kUrgent, 10, 9);
  add(5, Priority::kHigh, std::nullopt, 7);
  add(6, Priority::kHigh, std::nullopt, 3);
  EXPECT_EQ(Numbers(RunQuery(model, TicketQuery{})), (std::vector<std::int64_t>{4, 3, 2, 6, 5, 1}));
  TicketQuery by_due;
  by_due.sort = {SortField::kDueAt, true};
  std::vector<std::int64_t> descending = Numbers(RunQuery(model, by_due));
  EXPECT_EQ(std::vector<std::int64_t>(descending.begin(), descending.begin() + 3),
            (std::vector<std::int64_t>{3, 4, 1}));
  // No due date last, in both directions.
  EXPECT_EQ(std::set<std::int64_t>(descending.begin() + 3, descending.end()),
            (std::set<std::int64_t>{2, 5, 6}));
}

TEST(TicketQuery, CursorWalkIsStableWhileOtherTicketsChange) {
  TicketReadModel model;
  for (std::uint32_t n = 1; n <= 50; ++n) model.Upsert(Ptr(MakeTicket(n)));
  TicketQuery q;
  q.sort = {SortField::kCreatedAt};
  q.page_size = 7;
  std::vector<std::int64_t> seen;
  std::uint32_t next = 51;
  for (;;) {
    TicketPage page = RunQuery(model, q);
    for (auto n : Numbers(page)) seen.push_back(n);
    domain::Ticket changed = MakeTicket(next++);  // new tickets sort after everything seen
    model.Upsert(Ptr(changed));
    if (page.next_cursor.empty()) break;
    q.cursor = page.next_cursor;
  }
  std::set<std::int64_t> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size());
  for (std::int64_t n = 1; n <= 50; ++n) EXPECT_TRUE(unique.contains(n)) << n;
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST(TicketQuery, HostileCursorsAreRejected) {
  TicketReadModel model;
  for (std::uint32_t n = 1; n <= 5; ++n) model.Upsert(Ptr(MakeTicket(n)));
  TicketQuery q;
  q.page_size = 2;
  TicketPage page = RunQuery(model, q);
  ASSERT_FALSE(page.next_cursor.empty());
  TicketQuery other_sort = q;
  other_sort.sort = {SortField::kNumber};
  other_sort.cursor = page.next_cursor;
  EXPECT_FALSE(model.Query(kTenantA, other_sort, &page).ok());
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  std::string good = RunQuery(model, q).next_cursor;
  for (int i = 0; i < 5000; ++i) {
    TicketQuery bad = q;
    bad.cursor = good;
    bad.cursor[rng() % bad.cursor.size()] = "AZaz09-_%*\0\xff"[rng() % 12];
    if (bad.cursor == good) continue;
    EXPECT_FALSE(model.Query(kTenantA, bad, &page).ok()) << bad.cursor;
  }
}

TEST(TicketQuery, UpdatesReindexAndRemoveDropsEverywhere) {
  TicketReadModel model;
  domain::Ticket t = MakeTicket(1);
  model.Upsert(Ptr(t));
  t.status = TicketStatus::kClosed;
  t.assignee_id = Tid(500);
  t.subject = "VPN broken";
  model.Upsert(Ptr(t));
  TicketQuery open;
  open.statuses = {TicketStatus::kOpen};
  EXPECT_EQ(RunQuery(model, open).total, 0u);
  TicketQuery text;
  text.text = "vpn";
  EXPECT_EQ(RunQuery(model, text).total, 1u);
  text.text = "ticket";
  EXPECT_EQ(RunQuery(model, text).total, 0u);
  model.Remove(kTenantA, t.id);
  EXPECT_EQ(model.Get(kTenantA, t.id), nullptr);
  TicketQuery mine;
  mine.assignees = {Tid(500)};
  EXPECT_EQ(RunQuery(model, mine).total, 0u);
  EXPECT_EQ(model.TicketCount(kTenantA), 0u);
}

}  // namespace
}  // namespace ticketd::projections::testing

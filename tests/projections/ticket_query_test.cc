// TicketReadModel filters, totals, page sizes, updates, removal and tenant
// isolation over a small hand-made tenant.
#include <gtest/gtest.h>

#include "reference_query.h"

namespace ticketd::projections::testing {
namespace {

using domain::Priority;
using domain::TicketStatus;
using domain::TicketType;

std::vector<std::int64_t> Numbers(const std::vector<TicketPtr>& items) {
  std::vector<std::int64_t> out;
  for (const auto& t : items) out.push_back(t->number);
  return out;
}

class TicketQueryTest : public ::testing::Test {
 protected:
  // Twelve tickets: status n % 6, priority n % 4, odd = incident, every
  // third assigned to 500, every fourth "network", #5 on asset 600, #11 and
  // #12 reported by 1001; one ticket (#99) in tenant B.
  void SetUp() override {
    for (std::uint32_t n = 1; n <= 12; ++n) {
      domain::Ticket t = MakeTicket(n);
      t.status = domain::kAllStatuses[n % 6];
      t.priority = domain::kAllPriorities[n % 4];
      t.type = n % 2 ? TicketType::kIncident : TicketType::kServiceRequest;
      if (n % 3 == 0) t.assignee_id = Tid(500);
      if (n % 4 == 0) t.category = "network";
      if (n == 5) t.asset_id = Tid(600);
      if (n > 10) t.reporter_id = Tid(1001);
      model_.Upsert(Ptr(t));
    }
    model_.Upsert(Ptr(MakeTicket(99, kTenantB)));
  }

  // All matches by number, checking total against the number of items.
  std::vector<std::int64_t> Run(TicketQuery q, const domain::Id& tenant = kTenantA) {
    q.sort = {SortField::kNumber};
    q.page_size = 200;
    TicketPage page;
    Status s = model_.Query(tenant, q, &page);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_EQ(page.total, page.items.size());
    EXPECT_TRUE(page.next_cursor.empty());
    return Numbers(page.items);
  }

  TicketReadModel model_;
};

using Numbers_t = std::vector<std::int64_t>;

TEST_F(TicketQueryTest, EachFilterAlone) {
  TicketQuery q;
  EXPECT_EQ(Run(q), (Numbers_t{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  q = {};
  q.statuses = {TicketStatus::kOnHold};
  EXPECT_EQ(Run(q), (Numbers_t{2, 8}));
  q = {};
  q.priorities = {Priority::kUrgent};
  EXPECT_EQ(Run(q), (Numbers_t{3, 7, 11}));
  q = {};
  q.types = {TicketType::kServiceRequest};
  EXPECT_EQ(Run(q), (Numbers_t{2, 4, 6, 8, 10, 12}));
  q = {};
  q.assignees = {Tid(500)};
  EXPECT_EQ(Run(q), (Numbers_t{3, 6, 9, 12}));
  q = {};
  q.categories = {"network"};
  EXPECT_EQ(Run(q), (Numbers_t{4, 8, 12}));
  q = {};
  q.asset_ids = {Tid(600)};
  EXPECT_EQ(Run(q), (Numbers_t{5}));
  q = {};
  q.reporter_ids = {Tid(1001)};
  EXPECT_EQ(Run(q), (Numbers_t{11, 12}));
}

TEST_F(TicketQueryTest, SeveralValuesOfOneFieldAreOred) {
  TicketQuery q;
  q.statuses = {TicketStatus::kOpen, TicketStatus::kInProgress};
  EXPECT_EQ(Run(q), (Numbers_t{1, 6, 7, 12}));
  q = {};
  q.priorities = {Priority::kLow, Priority::kUrgent};
  EXPECT_EQ(Run(q), (Numbers_t{3, 4, 7, 8, 11, 12}));
  q = {};
  q.assignees = {Tid(500), std::nullopt};
  EXPECT_EQ(Run(q).size(), 12u);
  q = {};
  q.categories = {"network", ""};
  EXPECT_EQ(Run(q).size(), 12u);
  q = {};
  q.reporter_ids = {Tid(1001), Tid(1000)};
  EXPECT_EQ(Run(q).size(), 12u);
  q = {};
  q.statuses = {TicketStatus::kOnHold, TicketStatus::kOnHold};  // duplicates count once
  EXPECT_EQ(Run(q), (Numbers_t{2, 8}));
}

TEST_F(TicketQueryTest, DifferentFieldsAreAnded) {
  TicketQuery q;
  q.assignees = {Tid(500)};
  q.categories = {"network"};
  EXPECT_EQ(Run(q), (Numbers_t{12}));
  q = {};
  q.reporter_ids = {Tid(1001)};
  q.types = {TicketType::kIncident};
  EXPECT_EQ(Run(q), (Numbers_t{11}));
  q = {};
  q.statuses = {TicketStatus::kOpen, TicketStatus::kInProgress};
  q.priorities = {Priority::kLow};
  EXPECT_EQ(Run(q), (Numbers_t{12}));
  q.assignees = {std::nullopt};
  EXPECT_TRUE(Run(q).empty());
  q = {};
  q.statuses = {TicketStatus::kInProgress};
  q.priorities = {Priority::kUrgent};
  q.types = {TicketType::kIncident};
  q.assignees = {std::nullopt};
  q.text = "ticket";
  EXPECT_EQ(Run(q), (Numbers_t{7}));
}

TEST_F(TicketQueryTest, AssigneeNoneMeansUnassigned) {
  TicketQuery q;
  q.assignees = {std::nullopt};
  EXPECT_EQ(Run(q), (Numbers_t{1, 2, 4, 5, 7, 8, 10, 11}));
  domain::Ticket t = *model_.Get(kTenantA, Tid(1));
  t.assignee_id = Tid(501);
  model_.Upsert(Ptr(t));
  EXPECT_EQ(Run(q), (Numbers_t{2, 4, 5, 7, 8, 10, 11}));
  t.assignee_id.reset();
  model_.Upsert(Ptr(t));
  EXPECT_EQ(Run(q).front(), 1);
}

TEST_F(TicketQueryTest, ReporterRestrictionShowsOnlyOwnTickets) {
  // What the API does for a reporter: reporter_ids = {self}, whatever else.
  TicketQuery q;
  q.reporter_ids = {Tid(1001)};
  q.statuses = {TicketStatus::kOnHold, TicketStatus::kClosed};
  EXPECT_TRUE(Run(q).empty());
  q.statuses = {};
  q.text = "ticket";
  EXPECT_EQ(Run(q), (Numbers_t{11, 12}));
  q.reporter_ids = {Tid(4242)};  // a user with no tickets
  EXPECT_TRUE(Run(q).empty());
}

TEST_F(TicketQueryTest, UnknownValuesMatchNothing) {
  TicketQuery q;
  q.assignees = {Tid(777)};
  EXPECT_TRUE(Run(q).empty());
  q = {};
  q.categories = {"printers"};
  EXPECT_TRUE(Run(q).empty());
  q = {};
  q.asset_ids = {Tid(601)};
  EXPECT_TRUE(Run(q).empty());
  q = {};
  q.statuses = {static_cast<TicketStatus>(42)};  // not an enum value
  EXPECT_TRUE(Run(q).empty());
  q = {};
  q.text = "nosuchword";
  EXPECT_TRUE(Run(q).empty());
}

TEST_F(TicketQueryTest, PageSizesSplitTheListAndTotalStaysTheSame) {
  for (std::size_t size : {1u, 2u, 5u, 11u, 12u, 13u, 200u}) {
    TicketQuery q;
    q.sort = {SortField::kNumber};
    q.page_size = size;
    std::size_t total = 0;
    std::vector<TicketPtr> all = WalkAllPages(model_, kTenantA, q, &total);
    EXPECT_EQ(total, 12u) << size;
    EXPECT_EQ(Numbers(all), (Numbers_t{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})) << size;
  }
  TicketQuery q;
  q.page_size = 5;
  TicketPage page;
  ASSERT_TRUE(model_.Query(kTenantA, q, &page).ok());
  EXPECT_EQ(page.items.size(), 5u);
  EXPECT_FALSE(page.next_cursor.empty());
  q.page_size = 12;
  ASSERT_TRUE(model_.Query(kTenantA, q, &page).ok());
  EXPECT_EQ(page.items.size(), 12u);
  EXPECT_TRUE(page.next_cursor.empty()) << "no cursor when nothing follows";
}

TEST_F(TicketQueryTest, TenantsNeverSeeEachOther) {
  EXPECT_EQ(Run(TicketQuery{}).size(), 12u);
  EXPECT_EQ(Run(TicketQuery{}, kTenantB), (Numbers_t{99}));
  EXPECT_EQ(model_.Get(kTenantA, Tid(99, 2)), nullptr);
  EXPECT_EQ(model_.Get(kTenantB, Tid(1)), nullptr);
  ASSERT_NE(model_.Get(kTenantB, Tid(99, 2)), nullptr);
  EXPECT_EQ(model_.Get(kTenantB, Tid(99, 2))->number, 99);
  EXPECT_TRUE(Run(TicketQuery{}, Tid(0, 3)).empty()) << "unknown tenant";
  EXPECT_EQ(model_.TicketCount(kTenantA), 12u);
  EXPECT_EQ(model_.TicketCount(kTenantB), 1u);
  EXPECT_EQ(model_.TicketCount(Tid(0, 3)), 0u);
  TicketQuery q;
  q.text = "99";
  EXPECT_TRUE(Run(q).empty()) << "tenant B's words are not in tenant A's index";
  // A cursor from one tenant is just a position in another: no leak.
  TicketQuery first;
  first.page_size = 1;
  TicketPage page;
  ASSERT_TRUE(model_.Query(kTenantA, first, &page).ok());
  first.cursor = page.next_cursor;
  ASSERT_TRUE(model_.Query(kTenantB, first, &page).ok());
  EXPECT_EQ(page.total, 1u);
  for (const auto& t : page.items) EXPECT_EQ(t->tenant_id, kTenantB);
}

TEST_F(TicketQueryTest, UpdatesReindexEveryChangedField) {
  domain::Ticket t = *model_.Get(kTenantA, Tid(1));
  t.status = TicketStatus::kClosed;
  t.priority = Priority::kUrgent;
  t.type = TicketType::kServiceRequest;
  t.assignee_id = Tid(500);
  t.category = "hardware";
  t.asset_id = Tid(600);
  t.reporter_id = Tid(1001);
  t.subject = "VPN broken";
  t.version = 2;
  model_.Upsert(Ptr(t));
  EXPECT_EQ(model_.TicketCount(kTenantA), 12u);
  EXPECT_EQ(model_.Get(kTenantA, t.id)->subject, "VPN broken");
  TicketQuery q;
  q.statuses = {TicketStatus::kInProgress};
  EXPECT_EQ(Run(q), (Numbers_t{7}));
  q = {};
  q.priorities = {Priority::kMedium};
  EXPECT_EQ(Run(q), (Numbers_t{5, 9}));
  q = {};
  q.statuses = {TicketStatus::kClosed};
  q.priorities = {Priority::kUrgent};
  q.types = {TicketType::kServiceRequest};
  q.assignees = {Tid(500)};
  q.categories = {"hardware"};
  q.asset_ids = {Tid(600)};
  q.reporter_ids = {Tid(1001)};
  q.text = "vpn";
  EXPECT_EQ(Run(q), (Numbers_t{1}));
  q = {};
  q.text = "ticket 1";
  EXPECT_EQ(Run(q), (Numbers_t{10, 11, 12})) << "the old subject's words are gone";
  q = {};
  q.asset_ids = {Tid(600)};
  EXPECT_EQ(Run(q), (Numbers_t{1, 5}));
}

TEST_F(TicketQueryTest, RemoveDropsTheTicketFromEveryIndex) {
  domain::Ticket t = *model_.Get(kTenantA, Tid(12));
  model_.Remove(kTenantA, t.id);
  model_.Remove(kTenantA, t.id);       // twice is harmless
  model_.Remove(kTenantA, Tid(4242));  // unknown id too
  model_.Remove(Tid(0, 9), t.id);      // and an unknown tenant
  EXPECT_EQ(model_.Get(kTenantA, t.id), nullptr);
  EXPECT_EQ(model_.TicketCount(kTenantA), 11u);
  for (auto mutate : std::vector<void (*)(TicketQuery&)>{
           [](TicketQuery& q) { q.statuses = {TicketStatus::kOpen}; },
           [](TicketQuery& q) { q.priorities = {Priority::kLow}; },
           [](TicketQuery& q) { q.assignees = {Tid(500)}; },
           [](TicketQuery& q) { q.categories = {"network"}; },
           [](TicketQuery& q) { q.reporter_ids = {Tid(1001)}; },
           [](TicketQuery& q) { q.text = "12"; },
           [](TicketQuery&) {},
       }) {
    TicketQuery q;
    mutate(q);
    for (std::int64_t n : Run(q)) EXPECT_NE(n, 12);
  }
  TicketQuery q;
  q.sort = {SortField::kQueue};
  for (const auto& item : WalkAllPages(model_, kTenantA, q)) EXPECT_NE(item->number, 12);
  // Re-creating the same id brings it back.
  model_.Upsert(Ptr(t));
  EXPECT_EQ(model_.TicketCount(kTenantA), 12u);
  q = {};
  q.text = "12";
  EXPECT_EQ(Run(q), (Numbers_t{12}));
}

}  // namespace
}  // namespace ticketd::projections::testing

// Workflow (issue 12) in the read side: the list filters group_id,
// category_id and subcategory_id (indexed, updated when a ticket moves), the
// ticket snapshot codec with catalog fields, and the catalog read model.
#include <gtest/gtest.h>

#include "reference_query.h"
#include "ticketd/projections/catalog_read_model.h"

namespace ticketd::projections::testing {
namespace {

const domain::Id kGroupA = Tid(700), kGroupB = Tid(701), kCategory = Tid(710), kSub = Tid(720);

std::vector<std::int64_t> Numbers(TicketReadModel& model, TicketQuery q) {
  q.sort = {SortField::kNumber};
  q.page_size = 200;
  TicketPage page;
  EXPECT_TRUE(model.Query(kTenantA, q, &page).ok());
  EXPECT_EQ(page.total, page.items.size());
  std::vector<std::int64_t> out;
  for (const auto& t : page.items) out.push_back(t->number);
  return out;
}

TEST(CatalogFilters, FilterByGroupCategoryAndSubcategoryAndFollowMoves) {
  TicketReadModel model;
  for (std::uint32_t n = 1; n <= 6; ++n) {
    domain::Ticket t = MakeTicket(n);
    if (n <= 4) t.group_id = n % 2 ? kGroupA : kGroupB;
    if (n == 1 || n == 3) t.category_id = kCategory;
    if (n == 3) t.subcategory_id = kSub;
    model.Upsert(Ptr(t));
  }
  TicketQuery by_group;
  by_group.group_ids = {kGroupA};
  EXPECT_EQ(Numbers(model, by_group), (std::vector<std::int64_t>{1, 3}));
  by_group.group_ids = {kGroupA, kGroupB};
  EXPECT_EQ(Numbers(model, by_group), (std::vector<std::int64_t>{1, 2, 3, 4}));
  TicketQuery by_category;
  by_category.category_ids = {kCategory};
  by_category.subcategory_ids = {kSub};
  EXPECT_EQ(Numbers(model, by_category), (std::vector<std::int64_t>{3}));
  TicketQuery unknown;
  unknown.group_ids = {Tid(999)};
  EXPECT_TRUE(Numbers(model, unknown).empty());
  // A group id used as a category filter matches nothing.
  TicketQuery wrong_field;
  wrong_field.category_ids = {kGroupA};
  EXPECT_TRUE(Numbers(model, wrong_field).empty());

  // Ticket 1 moves to group B without category; ticket 6 joins group A.
  domain::Ticket moved = MakeTicket(1);
  moved.group_id = kGroupB;
  model.Upsert(Ptr(moved));
  domain::Ticket joined = MakeTicket(6);
  joined.group_id = kGroupA;
  model.Upsert(Ptr(joined));
  by_group.group_ids = {kGroupA};
  EXPECT_EQ(Numbers(model, by_group), (std::vector<std::int64_t>{3, 6}));
  by_category.subcategory_ids.clear();
  EXPECT_EQ(Numbers(model, by_category), (std::vector<std::int64_t>{3}));
  model.Remove(kTenantA, Tid(3));
  EXPECT_TRUE(Numbers(model, by_category).empty());
}

TEST(CatalogSnapshot, TicketCodecRoundTripsCatalogFieldsAndClosedAt) {
  domain::Ticket t = MakeTicket(1);
  t.group_id = kGroupA;
  t.category_id = kCategory;
  t.subcategory_id = kSub;
  t.closed_at = 1234567;
  BinaryWriter out;
  out.Ticket(t);
  BinaryReader in(out.str());
  domain::Ticket back;
  ASSERT_TRUE(in.Ticket(&back));
  EXPECT_EQ(back, t);
  EXPECT_TRUE(in.AtEnd());
}

domain::DomainEvent Workflow(domain::WorkflowEvent e, const domain::Id& tenant = kTenantA) {
  return domain::DomainEvent{tenant, tenant, 1, {}, std::move(e)};
}

TEST(CatalogReadModel, FoldsEventsListsUnseededTenantsAndRoundTripsItsSnapshot) {
  CatalogReadModel model;
  model.Apply(domain::DomainEvent{kTenantB, kTenantB, 1, {}, domain::TenantCreated{kTenantB, "B", "TKT", "b"}});
  model.Apply(Workflow(domain::CatalogEntryCreated{domain::CatalogKind::kGroup, kGroupA, {}, "IT", "", {Tid(5)},
                                                   domain::AssignmentMode::kRoundRobin}));
  model.Apply(Workflow(domain::CatalogEntryCreated{domain::CatalogKind::kCategory, kCategory, kGroupA, "Hardware"}));
  model.Apply(Workflow(domain::CatalogEntryArchived{domain::CatalogKind::kCategory, kCategory}));
  model.Apply(Workflow(domain::ReopenPolicyChanged{*domain::ParseReopenPolicy("within:P14D")}));
  const domain::Catalog a = model.Get(kTenantA);
  ASSERT_EQ(a.entries.size(), 2u);
  EXPECT_TRUE(a.Find(kCategory)->archived);
  EXPECT_EQ(a.Find(kGroupA)->assignment, domain::AssignmentMode::kRoundRobin);
  EXPECT_EQ(domain::ToString(a.reopen), "within:P14D");
  EXPECT_EQ(model.UnseededTenants(), std::vector<domain::Id>{kTenantB});

  BinaryWriter out;
  model.EncodeCanonical(out);
  CatalogReadModel loaded;
  BinaryReader in(out.str());
  ASSERT_TRUE(loaded.DecodeSnapshot(in));
  EXPECT_TRUE(in.AtEnd());
  EXPECT_EQ(loaded.Get(kTenantA), a);
  BinaryWriter again;
  loaded.EncodeCanonical(again);
  EXPECT_EQ(again.str(), out.str());
}

}  // namespace
}  // namespace ticketd::projections::testing

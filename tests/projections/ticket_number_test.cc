// The read model's lookup by ticket number (email in: "[ACME-000042]" in a
// subject): per tenant, updated in place, gone with a hard delete.
#include <gtest/gtest.h>

#include "ticket_builders.h"

namespace ticketd::projections::testing {
namespace {

TEST(TicketNumberLookup, FindsEachTenantsOwnNumber) {
  TicketReadModel model;
  model.Upsert(Ptr(MakeTicket(1)));
  model.Upsert(Ptr(MakeTicket(2)));
  model.Upsert(Ptr(MakeTicket(1, kTenantB)));
  ASSERT_NE(model.GetByNumber(kTenantA, 2), nullptr);
  EXPECT_EQ(model.GetByNumber(kTenantA, 2)->id, MakeTicket(2).id);
  EXPECT_EQ(model.GetByNumber(kTenantB, 1)->id, MakeTicket(1, kTenantB).id);
  EXPECT_EQ(model.GetByNumber(kTenantB, 2), nullptr);
  EXPECT_EQ(model.GetByNumber(kTenantA, 3), nullptr);
}

TEST(TicketNumberLookup, UpdatesAreSeenAndDeletesForgotten) {
  TicketReadModel model;
  model.Upsert(Ptr(MakeTicket(7)));
  domain::Ticket resolved = MakeTicket(7);
  resolved.status = domain::TicketStatus::kResolved;
  model.Upsert(Ptr(resolved));
  EXPECT_EQ(model.GetByNumber(kTenantA, 7)->status, domain::TicketStatus::kResolved);
  model.Remove(kTenantA, resolved.id);
  EXPECT_EQ(model.GetByNumber(kTenantA, 7), nullptr);
}

// GetMany (the mail threads' one lock hold per round): Get of each id, in
// order, nullptr for another tenant's ticket or one that is gone.
TEST(TicketLookup, GetManyGivesGetOfEachIdInOrder) {
  TicketReadModel model;
  model.Upsert(Ptr(MakeTicket(1)));
  model.Upsert(Ptr(MakeTicket(2)));
  model.Upsert(Ptr(MakeTicket(3, kTenantB)));
  const std::vector<TicketPtr> found =
      model.GetMany(kTenantA, {MakeTicket(2).id, MakeTicket(3, kTenantB).id, MakeTicket(1).id, MakeTicket(9).id});
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0], model.Get(kTenantA, MakeTicket(2).id));
  EXPECT_EQ(found[1], nullptr);
  EXPECT_EQ(found[2]->id, MakeTicket(1).id);
  EXPECT_EQ(found[3], nullptr);
  EXPECT_TRUE(model.GetMany(kTenantB, {}).empty());
}

}  // namespace
}  // namespace ticketd::projections::testing

#include <gtest/gtest.h>

#include "ticket_builders.h"
#include "ticketd/projections/comment_read_model.h"
#include "ticketd/projections/directory_read_model.h"

namespace ticketd::projections::testing {
namespace {

using domain::DomainEvent;

TEST(Directory, AuthenticatesByTokenHashAndListsSorted) {
  DirectoryReadModel directory;
  directory.Apply(DomainEvent{kTenantA, kTenantA, 1, {}, domain::TenantCreated{kTenantA, "Acme", "ACME"}});
  directory.Apply(DomainEvent{kTenantA,
                              kTenantA,
                              1,
                              {},
                              domain::UserCreated{Tid(2), "Zoe", "z@x.io", domain::Role::kReporter, "IT"}});
  directory.Apply(DomainEvent{
      kTenantA, kTenantA, 1, {}, domain::UserCreated{Tid(3), "Ada", "a@x.io", domain::Role::kManager, ""}});
  std::array<std::uint8_t, 32> hash{};
  hash[0] = 7;
  directory.Apply(DomainEvent{kTenantA, kTenantA, 1, {}, domain::TokenIssued{Tid(2), hash}});
  auto actor = directory.Authenticate(hash);
  ASSERT_TRUE(actor.has_value());
  EXPECT_EQ(actor->user_id, Tid(2));
  EXPECT_EQ(actor->tenant_id, kTenantA);
  EXPECT_TRUE(actor->it_department);
  EXPECT_TRUE(actor->HasAgentRights());
  hash[1] = 1;
  EXPECT_FALSE(directory.Authenticate(hash).has_value());
  auto users = directory.ListUsers(kTenantA);
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].name, "Ada");
  EXPECT_TRUE(directory.ListUsers(kTenantB).empty());
  EXPECT_EQ(directory.FindUserAnyTenant(Tid(3))->tenant_id, kTenantA);
  EXPECT_EQ(directory.GetTenant(kTenantA)->ticket_prefix, "ACME");

  directory.Apply(DomainEvent{kTenantA, kTenantA, 1, {}, domain::AssetCreated{Tid(40), "Printer", "hw"}});
  EXPECT_EQ(directory.ListAssets(kTenantA).size(), 1u);
  directory.Apply(DomainEvent{kTenantA, kTenantA, 1, {}, domain::AssetDeleted{Tid(40)}});
  EXPECT_TRUE(directory.ListAssets(kTenantA).empty());
  EXPECT_FALSE(directory.FindAssetAnyTenant(Tid(40)).has_value());
}

TEST(Comments, InternalOnesAreFilteredAndDeletionDropsThem) {
  CommentReadModel comments;
  const domain::Id ticket = Tid(1);
  comments.Apply(DomainEvent{kTenantA, ticket, 1, Tid(2), domain::CommentAdded{Tid(10), "public", false}});
  comments.Apply(DomainEvent{kTenantA, ticket, 2, Tid(2), domain::CommentAdded{Tid(11), "internal", true}});
  EXPECT_EQ(comments.List(kTenantA, ticket, true).size(), 2u);
  ASSERT_EQ(comments.List(kTenantA, ticket, false).size(), 1u);
  EXPECT_EQ(comments.List(kTenantA, ticket, false)[0].body, "public");
  EXPECT_TRUE(comments.List(kTenantB, ticket, true).empty());
  comments.Apply(DomainEvent{kTenantA, ticket, 3, Tid(2), domain::TicketDeleted{}});
  EXPECT_TRUE(comments.List(kTenantA, ticket, true).empty());
}

}  // namespace
}  // namespace ticketd::projections::testing

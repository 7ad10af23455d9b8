// DirectoryReadModel (tenants, users, tokens, assets) and CommentReadModel.
#include <gtest/gtest.h>

#include "ticket_builders.h"
#include "ticketd/projections/comment_read_model.h"
#include "ticketd/projections/directory_read_model.h"

namespace ticketd::projections::testing {
namespace {

using domain::DomainEvent;
using domain::Role;
using TokenHash = std::array<std::uint8_t, 32>;

DomainEvent Directory(const domain::Id& tenant, domain::EventPayload payload) {
  return DomainEvent{tenant, tenant, 1, {}, std::move(payload)};
}

TokenHash Hash(std::uint8_t first, std::uint8_t last) {
  TokenHash h{};
  h[0] = first;
  h[31] = last;
  return h;
}

class DirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Apply(Directory(kTenantA, domain::TenantCreated{kTenantA, "Acme", "ACME"}));
    dir_.Apply(Directory(kTenantB, domain::TenantCreated{kTenantB, "Beta", "BET"}));
    dir_.Apply(Directory(kTenantA, domain::UserCreated{Tid(2), "Zoe", "z@x.io", Role::kReporter, "IT"}));
    dir_.Apply(Directory(kTenantA, domain::UserCreated{Tid(3), "Ada", "a@x.io", Role::kManager, "Sales"}));
    dir_.Apply(Directory(kTenantA, domain::UserCreated{Tid(4), "Ada", "a2@x.io", Role::kAgent, ""}));
    dir_.Apply(Directory(kTenantB, domain::UserCreated{Tid(5, 2), "Bob", "b@y.io", Role::kAdmin, "it"}));
    dir_.Apply(Directory(kTenantA, domain::TokenIssued{Tid(2), Hash(7, 1)}));
    dir_.Apply(Directory(kTenantA, domain::TokenIssued{Tid(3), Hash(7, 2)}));  // same shard
    dir_.Apply(Directory(kTenantB, domain::TokenIssued{Tid(5, 2), Hash(200, 1)}));
  }
  DirectoryReadModel dir_;
};

TEST_F(DirectoryTest, AuthenticatesByTokenHash) {
  std::optional<domain::Actor> zoe = dir_.Authenticate(Hash(7, 1));
  ASSERT_TRUE(zoe.has_value());
  EXPECT_EQ(zoe->kind, domain::Actor::Kind::kUser);
  EXPECT_EQ(zoe->user_id, Tid(2));
  EXPECT_EQ(zoe->tenant_id, kTenantA);
  EXPECT_EQ(zoe->role, Role::kReporter);
  EXPECT_TRUE(zoe->it_department) << "department IT grants agent rights";
  EXPECT_TRUE(domain::Can(*zoe, domain::Permission::kTicketsManage));
  std::optional<domain::Actor> ada = dir_.Authenticate(Hash(7, 2));
  ASSERT_TRUE(ada.has_value());
  EXPECT_EQ(ada->user_id, Tid(3));
  EXPECT_EQ(ada->role, Role::kManager);
  EXPECT_FALSE(ada->it_department);
  std::optional<domain::Actor> bob = dir_.Authenticate(Hash(200, 1));
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->tenant_id, kTenantB);
  EXPECT_FALSE(bob->it_department) << "exactly \"IT\"";
}

TEST_F(DirectoryTest, UnknownTokensAreRejected) {
  EXPECT_FALSE(dir_.Authenticate(Hash(7, 3)).has_value()) << "same shard, other hash";
  EXPECT_FALSE(dir_.Authenticate(Hash(8, 1)).has_value());
  EXPECT_FALSE(dir_.Authenticate(TokenHash{}).has_value());
  // A token of a user the directory does not know authenticates nobody.
  dir_.Apply(Directory(kTenantA, domain::TokenIssued{Tid(99), Hash(9, 9)}));
  EXPECT_FALSE(dir_.Authenticate(Hash(9, 9)).has_value());
}

TEST_F(DirectoryTest, UsersAreListedByNameThenIdPerTenant) {
  std::vector<domain::User> users = dir_.ListUsers(kTenantA);
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[0].name, "Ada");
  EXPECT_EQ(users[1].name, "Ada");
  EXPECT_LT(users[0].id, users[1].id);
  EXPECT_EQ(users[2].name, "Zoe");
  ASSERT_EQ(dir_.ListUsers(kTenantB).size(), 1u);
  EXPECT_TRUE(dir_.ListUsers(Tid(0, 9)).empty());
  EXPECT_EQ(dir_.GetUser(kTenantA, Tid(4))->email, "a2@x.io");
  EXPECT_FALSE(dir_.GetUser(kTenantB, Tid(4)).has_value()) << "another tenant's user";
  EXPECT_EQ(dir_.FindUserAnyTenant(Tid(5, 2))->tenant_id, kTenantB);
  EXPECT_FALSE(dir_.FindUserAnyTenant(Tid(77)).has_value());
}

TEST_F(DirectoryTest, TenantsAndAssets) {
  EXPECT_EQ(dir_.GetTenant(kTenantA)->ticket_prefix, "ACME");
  EXPECT_EQ(dir_.GetTenant(kTenantB)->name, "Beta");
  EXPECT_FALSE(dir_.GetTenant(Tid(0, 9)).has_value());
  dir_.Apply(Directory(kTenantA, domain::AssetCreated{Tid(40), "Printer", "hw"}));
  dir_.Apply(Directory(kTenantA, domain::AssetCreated{Tid(41), "Laptop", "hw"}));
  dir_.Apply(Directory(kTenantB, domain::AssetCreated{Tid(42, 2), "Router", "net"}));
  std::vector<domain::Asset> assets = dir_.ListAssets(kTenantA);
  ASSERT_EQ(assets.size(), 2u);
  EXPECT_EQ(assets[0].name, "Laptop");
  EXPECT_EQ(dir_.FindAssetAnyTenant(Tid(42, 2))->tenant_id, kTenantB);
  dir_.Apply(Directory(kTenantA, domain::AssetDeleted{Tid(40)}));
  ASSERT_EQ(dir_.ListAssets(kTenantA).size(), 1u);
  EXPECT_EQ(dir_.ListAssets(kTenantA)[0].id, Tid(41));
  EXPECT_FALSE(dir_.FindAssetAnyTenant(Tid(40)).has_value());
  EXPECT_EQ(dir_.ListAssets(kTenantB).size(), 1u);
}

TEST_F(DirectoryTest, TicketEventsAreIgnored) {
  domain::Ticket t = MakeTicket(1);
  dir_.Apply(DomainEvent{kTenantA, t.id, 1, Tid(2), domain::TicketDeleted{t}});
  dir_.Apply(DomainEvent{kTenantA, t.id, 1, Tid(2), domain::CommentAdded{Tid(10), "x", false}});
  EXPECT_EQ(dir_.ListUsers(kTenantA).size(), 3u);
  EXPECT_TRUE(dir_.Authenticate(Hash(7, 1)).has_value());
}

TEST(Comments, InOrderInternalOnesFilteredAndDeletionDropsThem) {
  CommentReadModel comments;
  const domain::Id ticket = Tid(1);
  comments.Apply(DomainEvent{kTenantA, ticket, 1, Tid(2), domain::CommentAdded{Tid(10), "public", false}});
  comments.Apply(DomainEvent{kTenantA, ticket, 2, Tid(3), domain::CommentAdded{Tid(11), "internal", true}});
  comments.Apply(DomainEvent{kTenantA, ticket, 3, Tid(2), domain::CommentAdded{Tid(12), "again", false}});
  comments.Apply(DomainEvent{kTenantA, Tid(2), 4, Tid(2), domain::CommentAdded{Tid(13), "other", false}});
  comments.Apply(DomainEvent{kTenantA, ticket, 5, Tid(2), domain::TicketAssigned{Tid(3)}});  // ignored
  std::vector<Comment> all = comments.List(kTenantA, ticket, true);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].body, "public");
  EXPECT_EQ(all[1].body, "internal");
  EXPECT_TRUE(all[1].internal);
  EXPECT_EQ(all[1].author_id, Tid(3));
  EXPECT_EQ(all[1].created_at, 2);
  EXPECT_EQ(all[1].id, Tid(11));
  EXPECT_EQ(all[2].body, "again");
  std::vector<Comment> visible = comments.List(kTenantA, ticket, false);
  ASSERT_EQ(visible.size(), 2u);
  EXPECT_EQ(visible[0].body, "public");
  EXPECT_EQ(visible[1].body, "again");
  EXPECT_TRUE(comments.List(kTenantB, ticket, true).empty()) << "another tenant";
  comments.Apply(DomainEvent{kTenantA, ticket, 6, Tid(2), domain::TicketDeleted{}});
  EXPECT_TRUE(comments.List(kTenantA, ticket, true).empty());
  EXPECT_EQ(comments.List(kTenantA, Tid(2), true).size(), 1u) << "other tickets keep theirs";
}

}  // namespace
}  // namespace ticketd::projections::testing

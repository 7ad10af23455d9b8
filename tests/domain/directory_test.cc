#include <gtest/gtest.h>

#include "fixtures.h"

namespace ticketd::domain::testing {
namespace {

const Actors& A = TheActors();

TenantState Tenant(const std::string& prefix = "") {
  auto r = DecideDirectory(InitialTenantState(), CreateTenant{A.platform, 1, kTenant, "Acme", prefix}, {});
  TenantState state;
  for (const auto& e : r.value()) state = EvolveTenant(std::move(state), e);
  return state;
}

TenantState Apply(TenantState state, const Result<std::vector<DomainEvent>, DomainError>& r) {
  for (const auto& e : r.value()) state = EvolveTenant(std::move(state), e);
  return state;
}

TEST(Tenants, OnlyThePlatformAdminCreatesThemWithAValidPrefix) {
  EXPECT_EQ(Tenant().ticket_prefix, "TKT");
  EXPECT_EQ(Tenant("ACME2").ticket_prefix, "ACME2");
  for (const std::string& bad : {"acme", "1ABC", "TOO-LONG", "ABCDEFGHIJK", "A B"}) {
    auto r = DecideDirectory(InitialTenantState(), CreateTenant{A.platform, 1, kTenant, "Acme", bad}, {});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "ticket_prefix");
  }
  auto r = DecideDirectory(InitialTenantState(), CreateTenant{A.admin, 1, kTenant, "Acme", ""}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

TEST(Users, CreatedByPlatformOrTenantAdminWithUniqueEmails) {
  TenantState tenant = Tenant();
  CreateUser create{A.platform, 2, kTenant, MakeId(20), "Ada", "Ada@Example.com", Role::kAgent, "IT"};
  auto r = DecideDirectory(tenant, create, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 2u);
  EXPECT_TRUE(std::holds_alternative<TokenIssued>(r.value()[1].payload));
  tenant = Apply(std::move(tenant), r);
  EXPECT_TRUE(tenant.users.at(MakeId(20)).HasAgentRights());

  CreateUser duplicate{A.admin, 3, kTenant, MakeId(21), "Ada 2", "ada@example.COM", Role::kReporter, ""};
  r = DecideDirectory(tenant, duplicate, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kEmailTaken);

  CreateUser foreign{A.foreign_admin, 3, kTenant, MakeId(22), "Eve", "eve@example.com", Role::kAdmin, ""};
  r = DecideDirectory(tenant, foreign, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);

  CreateUser by_agent{A.agent, 3, kTenant, MakeId(23), "Bob", "bob@example.com", Role::kAdmin, ""};
  r = DecideDirectory(tenant, by_agent, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);

  for (const std::string& bad : {"no-at", "@x", "x@", "a@b@c", "a b@c"}) {
    CreateUser c{A.admin, 3, kTenant, MakeId(24), "X", bad, Role::kReporter, ""};
    r = DecideDirectory(tenant, c, {});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "email");
  }
}

TEST(Assets, InUseUntilEveryReferencingTicketIsClosedThenUnlinked) {
  TenantState tenant = Tenant();
  tenant = Apply(std::move(tenant),
                 DecideDirectory(tenant, CreateAsset{A.admin, 2, kTenant, MakeId(40), "Printer", "hw"}, {}));
  DirectoryContext busy{{{MakeId(101), TicketStatus::kClosed}, {MakeId(102), TicketStatus::kOnHold}}};
  auto r = DecideDirectory(tenant, DeleteAsset{A.admin, 3, kTenant, MakeId(40)}, busy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kAssetInUse);

  DirectoryContext done{{{MakeId(101), TicketStatus::kClosed}, {MakeId(102), TicketStatus::kCancelled}}};
  r = DecideDirectory(tenant, DeleteAsset{A.admin, 3, kTenant, MakeId(40)}, done);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 3u);
  EXPECT_TRUE(std::holds_alternative<AssetDeleted>(r.value()[0].payload));
  for (std::size_t i = 1; i < 3; ++i) {
    const auto& cleared = std::get<TicketUpdated>(r.value()[i].payload);
    ASSERT_TRUE(cleared.asset_id.has_value());
    EXPECT_FALSE(cleared.asset_id->has_value());
    EXPECT_NE(r.value()[i].stream_id, kTenant);
  }
  tenant = Apply(std::move(tenant), r);
  EXPECT_FALSE(tenant.assets.contains(MakeId(40)));
  r = DecideDirectory(tenant, DeleteAsset{A.admin, 4, kTenant, MakeId(40)}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  r = DecideDirectory(tenant, CreateAsset{A.agent, 2, kTenant, MakeId(41), "Laptop", ""}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

TEST(Numbering, TicketCreatedCountsWithoutBumpingTheDirectoryVersion) {
  TenantState tenant = Tenant();
  const auto version = tenant.version;
  DomainEvent created{kTenant, MakeId(100), 5, A.agent.user_id, TicketCreated{}};
  tenant = EvolveTenant(std::move(tenant), created);
  tenant = EvolveTenant(std::move(tenant), created);
  EXPECT_EQ(tenant.tickets_created, 2);
  EXPECT_EQ(tenant.version, version);
  EXPECT_EQ(FormatTicketNumber("TKT", 1), "TKT-000001");
  EXPECT_EQ(FormatTicketNumber("X", 1234567), "X-1234567");
}

}  // namespace
}  // namespace ticketd::domain::testing

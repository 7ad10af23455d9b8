// The tenant directory: tenants, users, assets, the numbering counter.
#include <gtest/gtest.h>

#include "fixtures.h"

namespace ticketd::domain::testing {
namespace {

const Actors& A = TheActors();
using Decision = Result<std::vector<DomainEvent>, DomainError>;

// Takes the state by reference: callers write Apply(std::move(t), Decide(t, ...)),
// and a by-value parameter could be moved from before the decision reads `t`
// (argument order is unspecified: clang evaluates left to right, GCC right to left).
TenantState Apply(TenantState&& state, const Decision& r) {
  for (const auto& e : r.value()) state = EvolveTenant(std::move(state), e);
  return state;
}

TenantState Tenant(const std::string& prefix = "") {
  return Apply(
      InitialTenantState(),
      DecideDirectory(InitialTenantState(), CreateTenant{A.platform, 1, kTenant, "Acme", prefix}, {}));
}

TenantState TenantWithAsset() {
  TenantState tenant = Tenant();
  return Apply(TenantState(tenant),
               DecideDirectory(tenant, CreateAsset{A.admin, 2, kTenant, MakeId(40), "Printer", "hw"}, {}));
}

Actor ForeignReporter() {
  return Actor{Actor::Kind::kUser, MakeId(8, 2), kOtherTenant, Role::kReporter, false};
}

// ---- tenants ----

TEST(Tenants, DefaultAndCustomPrefixes) {
  TenantState tenant = Tenant();
  EXPECT_TRUE(tenant.exists);
  EXPECT_EQ(tenant.tenant_id, kTenant);
  EXPECT_EQ(tenant.name, "Acme");
  EXPECT_EQ(tenant.ticket_prefix, "TKT");
  EXPECT_EQ(tenant.version, 2);  // TenantCreated, PermissionGroupCreated (ITSM Agent)
  for (const std::string prefix : {"A", "ACME2", "ABCDEFGHIJ", "Z9"})
    EXPECT_EQ(Tenant(prefix).ticket_prefix, prefix);
}

TEST(Tenants, BadPrefixesAndNamesAreRejected) {
  for (const std::string bad : {"acme", "1ABC", "TOO-LONG", "ABCDEFGHIJK", "A B", "Ä", "AB\n", " AB"}) {
    auto r = DecideDirectory(InitialTenantState(), CreateTenant{A.platform, 1, kTenant, "Acme", bad}, {});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_EQ(r.error().field, "ticket_prefix");
  }
  for (const std::string& bad :
       {std::string(), std::string(201, 'n'), std::string("a\tb"), std::string("\xfe")}) {
    auto r = DecideDirectory(InitialTenantState(), CreateTenant{A.platform, 1, kTenant, bad, ""}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "name");
  }
  EXPECT_TRUE(DecideDirectory(InitialTenantState(),
                              CreateTenant{A.platform, 1, kTenant, std::string(200, 'n'), ""}, {})
                  .ok());
}

TEST(Tenants, OnlyThePlatformAdminCreatesThemOnce) {
  for (const Actor* actor : {&A.admin, &A.agent, &A.reporter, &A.foreign_admin}) {
    auto r = DecideDirectory(InitialTenantState(), CreateTenant{*actor, 1, kTenant, "Acme", ""}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  }
  auto again = DecideDirectory(Tenant(), CreateTenant{A.platform, 1, kTenant, "Acme", ""}, {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kValidation);
}

// ---- users: who may create them ----

struct UserCase {
  std::string who;
  Actor actor;
  std::optional<ErrorCode> expected;
};

void PrintTo(const UserCase& c, std::ostream* os) { *os << c.who; }

class CreateUserTest : public ::testing::TestWithParam<UserCase> {};

TEST_P(CreateUserTest, WhoMayCreateUsersInThisTenant) {
  const UserCase& c = GetParam();
  CreateUser create{c.actor, 2, kTenant, MakeId(20), "Ada", "ada@example.com", Role::kAgent, ""};
  auto r = DecideDirectory(Tenant(), create, {});
  if (!c.expected) {
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r.value().size(), 2u);
    const auto& user = std::get<UserCreated>(r.value()[0].payload);
    EXPECT_EQ(user.user_id, MakeId(20));
    EXPECT_EQ(user.role, Role::kAgent);
    EXPECT_EQ(std::get<TokenIssued>(r.value()[1].payload).user_id, MakeId(20));
    for (const auto& e : r.value()) {
      EXPECT_EQ(e.stream_id, kTenant);
      EXPECT_EQ(e.tenant_id, kTenant);
      EXPECT_EQ(e.actor_id, c.actor.user_id);
    }
    return;
  }
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, *c.expected);
}

INSTANTIATE_TEST_SUITE_P(EveryRole, CreateUserTest,
                         ::testing::Values(UserCase{"platform", A.platform, std::nullopt},
                                           UserCase{"admin", A.admin, std::nullopt},
                                           UserCase{"agent", A.agent, ErrorCode::kForbidden},
                                           UserCase{"it_reporter", A.it_reporter, ErrorCode::kForbidden},
                                           UserCase{"manager", A.manager, ErrorCode::kForbidden},
                                           UserCase{"reporter", A.reporter, ErrorCode::kForbidden},
                                           UserCase{"foreign_admin", A.foreign_admin, ErrorCode::kNotFound},
                                           UserCase{"foreign_reporter", ForeignReporter(),
                                                    ErrorCode::kForbidden}),
                         [](const ::testing::TestParamInfo<UserCase>& info) { return info.param.who; });

TEST(Users, UnknownTenantIsNotFound) {
  CreateUser create{A.platform, 2, kTenant, MakeId(20), "Ada", "ada@example.com", Role::kAgent, ""};
  auto r = DecideDirectory(InitialTenantState(), create, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(Users, EmailsAreUniquePerTenantIgnoringCase) {
  TenantState tenant = Tenant();
  CreateUser create{A.platform, 2, kTenant, MakeId(20), "Ada", "Ada@Example.com", Role::kAgent, "IT"};
  tenant = Apply(std::move(tenant), DecideDirectory(tenant, create, {}));
  ASSERT_TRUE(tenant.users.contains(MakeId(20)));
  EXPECT_EQ(tenant.user_by_email.at("ada@example.com"), MakeId(20));
  EXPECT_EQ(tenant.version, 4);  // TenantCreated, ITSM Agent group, UserCreated, TokenIssued
  for (const std::string taken : {"ada@example.com", "ADA@EXAMPLE.COM", "Ada@Example.com"}) {
    CreateUser again{A.admin, 3, kTenant, MakeId(21), "Ada 2", taken, Role::kReporter, ""};
    auto r = DecideDirectory(tenant, again, {});
    ASSERT_FALSE(r.ok()) << taken;
    EXPECT_EQ(r.error().code, ErrorCode::kEmailTaken);
  }
  CreateUser other{A.admin, 3, kTenant, MakeId(21), "Bob", "bob@example.com", Role::kReporter, ""};
  EXPECT_TRUE(DecideDirectory(tenant, other, {}).ok());
}

TEST(Users, DepartmentItGrantsAgentRights) {
  TenantState tenant = Tenant();
  CreateUser it{A.platform, 2, kTenant, MakeId(20), "Ada", "ada@example.com", Role::kReporter, "IT"};
  CreateUser sales{A.platform, 2, kTenant, MakeId(21), "Bob", "bob@example.com", Role::kReporter, "Sales"};
  tenant = Apply(std::move(tenant), DecideDirectory(tenant, it, {}));
  tenant = Apply(std::move(tenant), DecideDirectory(tenant, sales, {}));
  EXPECT_TRUE(tenant.users.at(MakeId(20)).RolePermissions().Has(Permission::kTicketsManage));
  EXPECT_FALSE(tenant.users.at(MakeId(21)).RolePermissions().Has(Permission::kTicketsManage));
}

struct UserFieldCase {
  std::string name, email, department, field;
};

void PrintTo(const UserFieldCase& c, std::ostream* os) {
  *os << c.field << " <- " << ::testing::PrintToString(c.email);
}

class UserValidationTest : public ::testing::TestWithParam<UserFieldCase> {};

TEST_P(UserValidationTest, NamesTheField) {
  const UserFieldCase& c = GetParam();
  CreateUser create{A.admin, 3, kTenant, MakeId(24), c.name, c.email, Role::kReporter, c.department};
  auto r = DecideDirectory(Tenant(), create, {});
  if (c.field.empty()) {
    EXPECT_TRUE(r.ok()) << r.error().message;
    return;
  }
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_EQ(r.error().field, c.field);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, UserValidationTest,
    ::testing::Values(UserFieldCase{"Ada", "a@b", "", ""}, UserFieldCase{"Ada", "no-at", "", "email"},
                      UserFieldCase{"Ada", "@x", "", "email"}, UserFieldCase{"Ada", "x@", "", "email"},
                      UserFieldCase{"Ada", "a@b@c", "", "email"}, UserFieldCase{"Ada", "a b@c", "", "email"},
                      UserFieldCase{"Ada", "ab", "", "email"}, UserFieldCase{"Ada", "a\t@b", "", "email"},
                      UserFieldCase{"Ada", std::string(251, 'a') + "@b.c", "", "email"},
                      UserFieldCase{"Ada", "a@\xff", "", "email"}, UserFieldCase{"", "a@b", "", "name"},
                      UserFieldCase{std::string(201, 'n'), "a@b", "", "name"},
                      UserFieldCase{"A\nda", "a@b", "", "name"},
                      UserFieldCase{"Ada", "a@b", std::string(65, 'd'), "department"},
                      UserFieldCase{"Ada", "a@b", "I\x01T", "department"}),
    [](const ::testing::TestParamInfo<UserFieldCase>& info) { return "case" + std::to_string(info.index); });

// ---- assets ----

TEST(Assets, OnlyTheTenantAdminManagesThem) {
  TenantState tenant = TenantWithAsset();
  ASSERT_TRUE(tenant.assets.contains(MakeId(40)));
  EXPECT_EQ(tenant.assets.at(MakeId(40)).name, "Printer");
  EXPECT_EQ(tenant.assets.at(MakeId(40)).tenant_id, kTenant);
  const std::vector<std::pair<const Actor*, ErrorCode>> refused = {
      {&A.platform, ErrorCode::kForbidden},    {&A.agent, ErrorCode::kForbidden},
      {&A.it_reporter, ErrorCode::kForbidden}, {&A.manager, ErrorCode::kForbidden},
      {&A.reporter, ErrorCode::kForbidden},    {&A.foreign_admin, ErrorCode::kNotFound}};
  for (const auto& [actor, code] : refused) {
    auto create = DecideDirectory(tenant, CreateAsset{*actor, 2, kTenant, MakeId(41), "Laptop", ""}, {});
    ASSERT_FALSE(create.ok());
    EXPECT_EQ(create.error().code, code);
    auto del = DecideDirectory(tenant, DeleteAsset{*actor, 2, kTenant, MakeId(40)}, {});
    ASSERT_FALSE(del.ok());
    EXPECT_EQ(del.error().code, code);
  }
}

TEST(Assets, NameAndKindAreValidated) {
  TenantState tenant = Tenant();
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"", "", "name"},
      {std::string(201, 'n'), "", "name"},
      {"ok", std::string(65, 'k'), "kind"},
      {"ok", "k\x7f", "kind"},
      {"\xc3", "", "name"}};
  for (const auto& [name, kind, field] : cases) {
    auto r = DecideDirectory(tenant, CreateAsset{A.admin, 2, kTenant, MakeId(41), name, kind}, {});
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.error().field, field);
  }
  EXPECT_TRUE(
      DecideDirectory(tenant, CreateAsset{A.admin, 2, kTenant, MakeId(41), "Drucker \xc3\xbc", ""}, {}).ok());
}

TEST(Assets, InUseWhileAnyReferencingTicketIsNotClosedOrCancelled) {
  TenantState tenant = TenantWithAsset();
  for (TicketStatus busy :
       {TicketStatus::kOpen, TicketStatus::kInProgress, TicketStatus::kOnHold, TicketStatus::kResolved}) {
    DirectoryContext context{{{MakeId(101), TicketStatus::kClosed}, {MakeId(102), busy}}};
    auto r = DecideDirectory(tenant, DeleteAsset{A.admin, 3, kTenant, MakeId(40)}, context);
    ASSERT_FALSE(r.ok()) << ToString(busy);
    EXPECT_EQ(r.error().code, ErrorCode::kAssetInUse);
  }
}

TEST(Assets, DeletionNullsTheAssetOnClosedTickets) {
  TenantState tenant = TenantWithAsset();
  DirectoryContext done{{{MakeId(101), TicketStatus::kClosed}, {MakeId(102), TicketStatus::kCancelled}}};
  auto r = DecideDirectory(tenant, DeleteAsset{A.admin, 3, kTenant, MakeId(40)}, done);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 3u);
  EXPECT_EQ(std::get<AssetDeleted>(r.value()[0].payload).asset_id, MakeId(40));
  EXPECT_EQ(r.value()[0].stream_id, kTenant);
  for (std::size_t i = 1; i < 3; ++i) {
    const DomainEvent& e = r.value()[i];
    const auto& cleared = std::get<TicketUpdated>(e.payload);
    ASSERT_TRUE(cleared.asset_id.has_value());
    EXPECT_FALSE(cleared.asset_id->has_value());
    EXPECT_FALSE(cleared.subject || cleared.description || cleared.category || cleared.priority ||
                 cleared.due_at);
    EXPECT_EQ(e.stream_id, MakeId(100 + i));
    EXPECT_EQ(e.tenant_id, kTenant);
    EXPECT_EQ(e.actor_id, A.admin.user_id);
    EXPECT_EQ(e.at, 3);
  }
  const std::int64_t version = tenant.version;
  tenant = Apply(std::move(tenant), r);
  EXPECT_FALSE(tenant.assets.contains(MakeId(40)));
  EXPECT_EQ(tenant.version, version + 1);  // the ticket streams' events do not count
  r = DecideDirectory(tenant, DeleteAsset{A.admin, 4, kTenant, MakeId(40)}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(Assets, UnreferencedAssetDeletesAlone) {
  auto r = DecideDirectory(TenantWithAsset(), DeleteAsset{A.admin, 3, kTenant, MakeId(40)}, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().size(), 1u);
}

// ---- numbering ----

TEST(Numbering, TicketCreatedCountsWithoutBumpingTheDirectoryVersion) {
  TenantState tenant = Tenant();
  const auto version = tenant.version;
  DomainEvent created{kTenant, MakeId(100), 5, A.agent.user_id, TicketCreated{}};
  tenant = EvolveTenant(std::move(tenant), created);
  tenant = EvolveTenant(std::move(tenant), created);
  DomainEvent other{kTenant, MakeId(100), 6, A.agent.user_id, TicketStatusChanged{}};
  tenant = EvolveTenant(std::move(tenant), other);
  EXPECT_EQ(tenant.tickets_created, 2);
  EXPECT_EQ(tenant.version, version);
}

TEST(Numbering, SixDigitsThenGrowing) {
  const std::vector<std::tuple<std::string, std::int64_t, std::string>> cases = {
      {"TKT", 1, "TKT-000001"},    {"TKT", 42, "TKT-000042"},         {"ACME", 999999, "ACME-999999"},
      {"X", 1000000, "X-1000000"}, {"X", 1234567890, "X-1234567890"}, {"AB12", 100000, "AB12-100000"}};
  for (const auto& [prefix, number, text] : cases) EXPECT_EQ(FormatTicketNumber(prefix, number), text);
}

}  // namespace
}  // namespace ticketd::domain::testing

// The role table of ACCESS.md, every role x every permission, and the
// status-change rule, as tables.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fixtures.h"
#include "ticketd/domain/permissions.h"

namespace ticketd::domain::testing {
namespace {

using P = Permission;

Actor WithRole(Role role, bool it = false) {
  return Actor{Actor::Kind::kUser, MakeId(9), kTenant, role, it};
}

// ACCESS.md "Permissions", written out independently of permissions.cc.
const std::map<Role, std::set<std::string_view>>& ContractTable() {
  static const std::map<Role, std::set<std::string_view>> table = {
      {Role::kReporter, {"tickets:create"}},
      {Role::kAgent,
       {"tickets:create", "tickets:manage", "tickets:close", "tickets:read_all", "tickets:prioritize",
        "reports:read"}},
      {Role::kManager, {"tickets:create", "tickets:read_all", "tickets:prioritize", "reports:read"}},
      {Role::kAdmin,
       {"tickets:create", "tickets:manage", "tickets:close", "tickets:read_all", "tickets:prioritize",
        "users:manage", "settings:manage", "reports:read"}},
  };
  return table;
}

TEST(Permissions, WireNamesRoundTripAndUnknownNamesAreRejected) {
  std::set<std::string_view> names;
  for (const PermissionName& entry : kPermissionNames) {
    EXPECT_EQ(ToString(entry.permission), entry.name);
    EXPECT_EQ(ParsePermission(entry.name), entry.permission);
    names.insert(entry.name);
  }
  EXPECT_EQ(names.size(), 8u);
  for (std::string_view bad : {"", "tickets", "TICKETS:CREATE", "tickets:create ", "tickets:delete"})
    EXPECT_FALSE(ParsePermission(bad).has_value()) << bad;
}

TEST(Permissions, EveryRoleTimesEveryPermissionMatchesTheContract) {
  for (Role role : kAllRoles) {
    for (const PermissionName& entry : kPermissionNames) {
      const bool expected = ContractTable().at(role).contains(entry.name);
      EXPECT_EQ(Can(WithRole(role), entry.permission), expected) << ToString(role) << " x " << entry.name;
      // Department IT: agent rights whatever the role.
      const bool it_expected = expected || ContractTable().at(Role::kAgent).contains(entry.name);
      EXPECT_EQ(Can(WithRole(role, /*it=*/true), entry.permission), it_expected)
          << ToString(role) << "+IT x " << entry.name;
    }
  }
}

TEST(Permissions, PlatformAdminHoldsNoTenantPermission) {
  const Actor& platform = TheActors().platform;
  for (const PermissionName& entry : kPermissionNames) EXPECT_FALSE(Can(platform, entry.permission)) << entry.name;
  EXPECT_TRUE(EffectivePermissions(platform).Empty());
}

TEST(Permissions, GroupsAddToTheRole) {
  Actor reporter = WithRole(Role::kReporter);
  reporter.group_permissions = {P::kTicketsManage, P::kReportsRead};
  EXPECT_TRUE(Can(reporter, P::kTicketsCreate)) << "the role's stay";
  EXPECT_TRUE(Can(reporter, P::kTicketsManage));
  EXPECT_TRUE(Can(reporter, P::kReportsRead));
  EXPECT_FALSE(Can(reporter, P::kTicketsClose));
  EXPECT_EQ(EffectivePermissions(reporter).Names(),
            (std::vector<std::string_view>{"tickets:create", "tickets:manage", "reports:read"}));
}

TEST(Permissions, OnATicketTheReporterMayReadTheirOwnOnly) {
  const Ticket& own = TicketIn(TicketStatus::kOpen).ticket;  // reported by TheActors().reporter
  EXPECT_TRUE(Can(TheActors().reporter, P::kTicketsReadAll, own));
  EXPECT_FALSE(Can(TheActors().other_reporter, P::kTicketsReadAll, own));
  EXPECT_FALSE(Can(TheActors().reporter, P::kTicketsManage, own)) << "owning grants reading only";
  EXPECT_TRUE(Can(TheActors().manager, P::kTicketsReadAll, own));
  EXPECT_FALSE(Can(TheActors().foreign_admin, P::kTicketsReadAll, own)) << "another tenant";
  EXPECT_FALSE(Can(TheActors().platform, P::kTicketsReadAll, own));
}

// Status changes: tickets:manage, plus tickets:close to or from resolved/closed;
// the reporter's own close and reopen; managers never.
TEST(Permissions, StatusChangeRuleForEveryPairAndActor) {
  using S = TicketStatus;
  const auto closing = [](S s) { return s == S::kResolved || s == S::kClosed; };
  Actor manage_only = WithRole(Role::kReporter);
  manage_only.user_id = MakeId(50);
  manage_only.group_permissions = {P::kTicketsManage};
  for (S from : kAllStatuses) {
    for (S to : kAllStatuses) {
      if (!IsTransitionAllowed(from, to)) continue;
      const Ticket& t = TicketIn(from).ticket;
      const std::string pair = std::string(ToString(from)) + "->" + std::string(ToString(to));
      EXPECT_FALSE(MissingForStatusChange(TheActors().agent, t, to).has_value()) << pair;
      EXPECT_FALSE(MissingForStatusChange(TheActors().admin, t, to).has_value()) << pair;
      EXPECT_FALSE(MissingForStatusChange(TheActors().it_reporter, t, to).has_value()) << pair;
      EXPECT_EQ(MissingForStatusChange(TheActors().manager, t, to), P::kTicketsManage) << pair;
      EXPECT_EQ(MissingForStatusChange(TheActors().other_reporter, t, to), P::kTicketsManage) << pair;
      const bool own_allowed = (from == S::kResolved && to == S::kClosed) || (closing(from) && to == S::kOpen);
      EXPECT_EQ(MissingForStatusChange(TheActors().reporter, t, to).has_value(), !own_allowed) << pair;
      const bool needs_close = closing(from) || closing(to);
      EXPECT_EQ(MissingForStatusChange(manage_only, t, to),
                needs_close ? std::optional<Permission>(P::kTicketsClose) : std::nullopt)
          << pair;
    }
  }
}

}  // namespace
}  // namespace ticketd::domain::testing

// Permissions as data (ACCESS.md "Permissions"): the named permissions with
// their wire names, the role -> permissions table, and the one check every
// decider and handler asks, Can(actor, permission[, ticket]). A new
// permission is one line in kPermissionNames and one enumerator; a role's
// rights are one row of the table in permissions.cc.
// Thread-safety: constexpr values and free functions; safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::domain {

enum class Role;
struct Actor;
struct Ticket;
enum class TicketStatus : std::uint8_t;

// Persistent format: the numeric values are bit positions stored in
// snapshots; never renumber (events store the wire names).
enum class Permission {
  kTicketsCreate = 0,
  kTicketsManage = 1,      // assign, comment internally, change status, edit any ticket
  kTicketsClose = 2,       // move to resolved or closed, reopen from them
  kTicketsReadAll = 3,
  kTicketsPrioritize = 4,  // priority and due date
  kUsersManage = 5,
  kSettingsManage = 6,
  kReportsRead = 7,
};

struct PermissionName {
  Permission permission;
  std::string_view name;
};
inline constexpr std::array<PermissionName, 8> kPermissionNames = {{
    {Permission::kTicketsCreate, "tickets:create"},
    {Permission::kTicketsManage, "tickets:manage"},
    {Permission::kTicketsClose, "tickets:close"},
    {Permission::kTicketsReadAll, "tickets:read_all"},
    {Permission::kTicketsPrioritize, "tickets:prioritize"},
    {Permission::kUsersManage, "users:manage"},
    {Permission::kSettingsManage, "settings:manage"},
    {Permission::kReportsRead, "reports:read"},
}};

// The contract gives the admin-only operations it names outside this list
// (deleting and erasing tickets, assets, the audit head) no permission of
// their own; they need settings:manage, which only admins hold by role
// (docs/api-decisions.md). Erasing a user needs users:manage.
inline constexpr Permission kTenantAdministration = Permission::kSettingsManage;

std::string_view ToString(Permission p);
// Exact, case-sensitive match on the wire name; nullopt otherwise.
std::optional<Permission> ParsePermission(std::string_view name);

// A set of permissions (a small bit set: copying is free).
class PermissionSet {
 public:
  constexpr PermissionSet() = default;
  constexpr PermissionSet(std::initializer_list<Permission> permissions) {
    for (Permission p : permissions) bits_ |= Bit(p);
  }
  static constexpr PermissionSet All() {
    PermissionSet all;
    for (const PermissionName& entry : kPermissionNames) all.bits_ |= Bit(entry.permission);
    return all;
  }
  static constexpr PermissionSet FromBits(std::uint32_t bits) {
    PermissionSet set;
    set.bits_ = bits & All().bits_;
    return set;
  }
  constexpr bool Has(Permission p) const { return (bits_ & Bit(p)) != 0; }
  constexpr bool Empty() const { return bits_ == 0; }
  constexpr std::uint32_t bits() const { return bits_; }
  constexpr PermissionSet operator|(PermissionSet other) const { return FromBits(bits_ | other.bits_); }
  constexpr PermissionSet& operator|=(PermissionSet other) { return *this = *this | other; }
  friend constexpr bool operator==(PermissionSet, PermissionSet) = default;
  // Wire names in kPermissionNames order (answers, events).
  std::vector<std::string_view> Names() const;

 private:
  static constexpr std::uint32_t Bit(Permission p) { return 1u << static_cast<unsigned>(p); }
  std::uint32_t bits_ = 0;
};

// The contract's role table; `it_department` adds the agent row ("a user
// whose department is IT has agent rights whatever the role").
PermissionSet RolePermissions(Role role, bool it_department);

// The actor's effective permissions: role's (with the IT rule) ∪ its
// permission groups'. Empty for the platform admin, who acts on tenants and
// their first users only.
PermissionSet EffectivePermissions(const Actor& actor);

// May the actor do what `permission` names in its tenant?
bool Can(const Actor& actor, Permission permission);
// On this ticket: same tenant, and either the permission or, for the
// ticket's reporter, one of the rights a reporter holds on their own
// tickets (kOwnTicketPermissions: reading it).
bool Can(const Actor& actor, Permission permission, const Ticket& ticket);

// A status change needs tickets:manage, and also tickets:close when it goes
// to or leaves resolved/closed; a reporter (not a manager) may still close
// their own resolved ticket and reopen their own resolved or closed one. The
// first permission the actor lacks, or nullopt when allowed. The transition
// itself is checked elsewhere (IsTransitionAllowed).
std::optional<Permission> MissingForStatusChange(const Actor& actor, const Ticket& ticket, TicketStatus to);

}  // namespace ticketd::domain

// The role table of ACCESS.md and the checks built on it.
#include "ticketd/domain/permissions.h"

#include "ticketd/domain/status_facts.h"
#include "ticketd/domain/ticket_value.h"
#include "ticketd/domain/types.h"

namespace ticketd::domain {
namespace {

using P = Permission;

struct RoleRow {
  Role role;
  PermissionSet permissions;
};
// ACCESS.md "Permissions": one row per role.
constexpr std::array<RoleRow, 4> kRoleTable = {{
    {Role::kReporter, {P::kTicketsCreate}},
    {Role::kAgent,
     {P::kTicketsCreate, P::kTicketsManage, P::kTicketsClose, P::kTicketsReadAll, P::kTicketsPrioritize,
      P::kReportsRead}},
    {Role::kManager, {P::kTicketsCreate, P::kTicketsReadAll, P::kTicketsPrioritize, P::kReportsRead}},
    {Role::kAdmin, PermissionSet::All()},
}};
static_assert(kRoleTable.size() == kAllRoles.size(), "one row per role");

// What the reporter of a ticket holds on that ticket whatever their role.
constexpr PermissionSet kOwnTicketPermissions = {P::kTicketsReadAll};

PermissionSet RowOf(Role role) {
  for (const RoleRow& row : kRoleTable)
    if (row.role == role) return row.permissions;
  return {};
}

}  // namespace

std::string_view ToString(Permission p) {
  for (const PermissionName& entry : kPermissionNames)
    if (entry.permission == p) return entry.name;
  return "unknown";
}

std::optional<Permission> ParsePermission(std::string_view name) {
  for (const PermissionName& entry : kPermissionNames)
    if (entry.name == name) return entry.permission;
  return std::nullopt;
}

std::vector<std::string_view> PermissionSet::Names() const {
  std::vector<std::string_view> names;
  for (const PermissionName& entry : kPermissionNames)
    if (Has(entry.permission)) names.push_back(entry.name);
  return names;
}

PermissionSet RolePermissions(Role role, bool it_department) {
  PermissionSet set = RowOf(role);
  if (it_department) set |= RowOf(Role::kAgent);
  return set;
}

PermissionSet EffectivePermissions(const Actor& actor) {
  if (actor.IsPlatformAdmin()) return {};
  return RolePermissions(actor.role, actor.it_department) | actor.group_permissions;
}

bool Can(const Actor& actor, Permission permission) { return EffectivePermissions(actor).Has(permission); }

bool Can(const Actor& actor, Permission permission, const Ticket& ticket) {
  if (actor.IsPlatformAdmin() || actor.tenant_id != ticket.tenant_id) return false;
  if (Can(actor, permission)) return true;
  return ticket.reporter_id == actor.user_id && kOwnTicketPermissions.Has(permission);
}

std::optional<Permission> MissingForStatusChange(const Actor& actor, const Ticket& ticket, TicketStatus to) {
  const bool closing = IsDone(ticket.status) || IsDone(to);
  if (Can(actor, P::kTicketsManage) && (!closing || Can(actor, P::kTicketsClose))) return std::nullopt;
  // HTTP-CONTRACT.md: a reporter may close their own resolved ticket and
  // reopen their own resolved or closed ticket; managers may not change status.
  const bool own = ticket.reporter_id == actor.user_id && actor.role != Role::kManager;
  const bool close_resolved = ticket.status == TicketStatus::kResolved && to == TicketStatus::kClosed;
  const bool reopen = IsDone(ticket.status) && to == TicketStatus::kOpen;
  if (own && (close_resolved || reopen)) return std::nullopt;
  return Can(actor, P::kTicketsManage) ? P::kTicketsClose : P::kTicketsManage;
}

}  // namespace ticketd::domain

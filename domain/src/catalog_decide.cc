// The catalog commands (WORKFLOW.md "Catalog"): settings:manage; names
// unique among the live siblings (case-insensitive); teams of users of the
// tenant.
#include <set>

#include "directory_rules.h"
#include "text_rules.h"

namespace ticketd::domain {
namespace {

using Events = std::vector<DomainEvent>;

std::optional<DomainError> CheckName(std::string_view name) {
  return CheckText("name", name, 1, kMaxCatalogNameChars, LineRule::kSingleLine);
}

// Another live entry with the same parent (and kind) already has the name.
bool NameTaken(const Catalog& catalog, CatalogKind kind, const Id& parent_id, std::string_view name,
               const Id& except) {
  const std::string wanted = Lowercase(name);
  for (const auto& [id, entry] : catalog.entries) {
    if (id != except && !entry.archived && entry.kind == kind && entry.parent_id == parent_id &&
        Lowercase(entry.name) == wanted)
      return true;
  }
  return false;
}

// Every member a (live) user of the tenant, none listed twice. Members
// without tickets:manage or inactive may be listed: they are skipped by
// assignment until they qualify.
std::optional<DomainError> CheckTeam(const TenantState& state, const std::vector<Id>& team_ids) {
  if (team_ids.size() > kMaxTeamSize)
    return MakeError(ErrorCode::kValidation, "at most " + std::to_string(kMaxTeamSize) + " members", "team_ids");
  std::set<Id> seen;
  for (const Id& id : team_ids) {
    auto user = state.users.find(id);
    if (user == state.users.end() || user->second.erased_at)
      return MakeError(ErrorCode::kValidation, "no such user in this tenant: " + id.ToString(), "team_ids");
    if (!seen.insert(id).second)
      return MakeError(ErrorCode::kValidation, "lists " + id.ToString() + " twice", "team_ids");
  }
  return std::nullopt;
}

std::optional<DomainError> CheckAllowed(const TenantState& state, const Actor& actor, const Id& tenant_id) {
  if (auto e = CheckTenantPermission(actor, tenant_id, Permission::kSettingsManage, false)) return e;
  if (!state.exists) return MakeError(ErrorCode::kNotFound, "no such tenant");
  return std::nullopt;
}

std::string KindName(CatalogKind kind) { return std::string(ToString(kind)); }

DomainEvent Event(const Actor& actor, Timestamp at, const Id& tenant_id, WorkflowEvent e) {
  return DirectoryEvent(actor, at, tenant_id, EventPayload{std::move(e)});
}

}  // namespace

DirectoryDecision DecideCatalog(const TenantState& state, const CreateCatalogEntry& c) {
  if (auto e = CheckAllowed(state, c.actor, c.tenant_id)) return Err{*e};
  const Catalog& catalog = state.catalog;
  if (catalog.Find(c.entry_id)) return Fail(ErrorCode::kValidation, "entry id already used", "id");
  if (c.kind != CatalogKind::kGroup) {
    const CatalogKind parent_kind = c.kind == CatalogKind::kCategory ? CatalogKind::kGroup : CatalogKind::kCategory;
    const CatalogEntry* parent = catalog.FindChoosable(c.parent_id);
    if (!parent || parent->kind != parent_kind) return Fail(ErrorCode::kNotFound, "no such " + KindName(parent_kind));
  }
  if (auto e = CheckName(c.name)) return Err{*e};
  if (auto e = CheckText("description", c.description, 0, kMaxCatalogDescriptionChars, LineRule::kMultiLine))
    return Err{*e};
  if (auto e = CheckTeam(state, c.team_ids)) return Err{*e};
  if (NameTaken(catalog, c.kind, c.kind == CatalogKind::kGroup ? Id{} : c.parent_id, c.name, c.entry_id))
    return Fail(ErrorCode::kNameTaken, "a sibling " + KindName(c.kind) + " already has this name", "name");
  CatalogEntryCreated created{c.kind,        c.entry_id, c.kind == CatalogKind::kGroup ? Id{} : c.parent_id,
                              c.name,        c.description, c.team_ids, c.assignment};
  return Events{Event(c.actor, c.at, c.tenant_id, created)};
}

DirectoryDecision DecideCatalog(const TenantState& state, const UpdateCatalogEntry& c) {
  if (auto e = CheckAllowed(state, c.actor, c.tenant_id)) return Err{*e};
  const CatalogEntry* entry = state.catalog.Find(c.entry_id);
  if (!entry || entry->kind != c.kind || entry->archived) return Fail(ErrorCode::kNotFound, "no such " + KindName(c.kind));
  if (c.kind != CatalogKind::kGroup && (c.team_ids || c.assignment))
    return Fail(ErrorCode::kValidation, "only groups have a team and an assignment mode",
                c.team_ids ? "team_ids" : "assignment");
  if (c.name) {
    if (auto e = CheckName(*c.name)) return Err{*e};
    if (NameTaken(state.catalog, c.kind, entry->parent_id, *c.name, c.entry_id))
      return Fail(ErrorCode::kNameTaken, "a sibling " + KindName(c.kind) + " already has this name", "name");
  }
  if (c.description)
    if (auto e = CheckText("description", *c.description, 0, kMaxCatalogDescriptionChars, LineRule::kMultiLine))
      return Err{*e};
  if (c.team_ids)
    if (auto e = CheckTeam(state, *c.team_ids)) return Err{*e};
  CatalogEntryUpdated updated{c.kind, c.entry_id};
  bool any = false;
  auto take = [&any](auto& slot, const auto& requested, const auto& current) {
    if (requested && *requested != current) {
      slot = *requested;
      any = true;
    }
  };
  take(updated.name, c.name, entry->name);
  take(updated.description, c.description, entry->description);
  take(updated.team_ids, c.team_ids, entry->team_ids);
  take(updated.assignment, c.assignment, entry->assignment);
  if (!any) return Events{};
  return Events{Event(c.actor, c.at, c.tenant_id, updated)};
}

DirectoryDecision DecideCatalog(const TenantState& state, const ArchiveCatalogEntry& c) {
  if (auto e = CheckAllowed(state, c.actor, c.tenant_id)) return Err{*e};
  const CatalogEntry* entry = state.catalog.Find(c.entry_id);
  if (!entry || entry->kind != c.kind || entry->archived) return Fail(ErrorCode::kNotFound, "no such " + KindName(c.kind));
  return Events{Event(c.actor, c.at, c.tenant_id, CatalogEntryArchived{c.kind, c.entry_id})};
}

DirectoryDecision DecideCatalog(const TenantState& state, const SeedDefaultCatalog& c) {
  if (!c.actor.IsPlatformAdmin()) return Fail(ErrorCode::kForbidden, "only the system seeds catalogs");
  if (!state.exists || state.catalog.seeded) return Events{};
  return DefaultCatalogEvents(c.actor, c.at, c.tenant_id, c.entry_ids);
}

}  // namespace ticketd::domain

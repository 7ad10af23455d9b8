// The service catalog (WORKFLOW.md): a tenant's groups -> categories ->
// subcategories, each group's team and assignment mode, and the tenant's
// reopen policy. Folded state (part of the tenant directory aggregate,
// TenantState::catalog), its commands (part of DirectoryCommand) and the
// checks ticket commands make against it. Pure: no I/O, no clock.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/domain/errors.h"
#include "ticketd/domain/events.h"
#include "ticketd/domain/workflow_types.h"

namespace ticketd::domain {

inline constexpr std::size_t kMaxCatalogNameChars = 100;
inline constexpr std::size_t kMaxCatalogDescriptionChars = 2000;
inline constexpr std::size_t kMaxTeamSize = 200;

// The default tree every tenant starts with.
inline constexpr std::string_view kDefaultGroupName = "IT";
inline constexpr std::array<std::string_view, 5> kDefaultCategoryNames = {"Hardware", "Software", "Network",
                                                                         "Account", "Other"};
inline constexpr std::size_t kDefaultCatalogSize = 1 + kDefaultCategoryNames.size();

struct CatalogEntry {
  CatalogKind kind = CatalogKind::kGroup;
  Id id;
  Id parent_id;  // nil for groups
  std::string name;
  std::string description;
  std::vector<Id> team_ids;  // groups only
  AssignmentMode assignment = AssignmentMode::kManual;
  bool archived = false;
  friend bool operator==(const CatalogEntry&, const CatalogEntry&) = default;
};

struct Catalog {
  std::map<Id, CatalogEntry> entries;  // archived ones too (tickets keep referencing them)
  std::vector<Id> creation_order;      // every entry, oldest first (listing order)
  // The tenant got its catalog (the default tree, or an entry of its own):
  // tenants from before the catalog get the default tree once, at start.
  bool seeded = false;
  ReopenPolicy reopen;  // the closed_reopen setting

  const CatalogEntry* Find(const Id& id) const;
  // The entry, if it exists and may be chosen: not archived, nor any entry above it.
  const CatalogEntry* FindChoosable(const Id& id) const;
  friend bool operator==(const Catalog&, const Catalog&) = default;
};

// Folds one workflow event into the catalog.
void EvolveCatalog(Catalog& catalog, const WorkflowEvent& event);

// ---- commands (part of DirectoryCommand, directory.h); settings:manage ----
struct CreateCatalogEntry {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  CatalogKind kind = CatalogKind::kGroup;
  Id entry_id;
  Id parent_id;  // the group (for a category) or category (for a subcategory)
  std::string name;
  std::string description;
  std::vector<Id> team_ids;
  AssignmentMode assignment = AssignmentMode::kManual;
};
struct UpdateCatalogEntry {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  CatalogKind kind = CatalogKind::kGroup;
  Id entry_id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<Id>> team_ids;
  std::optional<AssignmentMode> assignment;
};
struct ArchiveCatalogEntry {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  CatalogKind kind = CatalogKind::kGroup;
  Id entry_id;
};
// Gives a tenant from before the catalog the default tree (the engine, at
// start, as the platform actor); nothing once the tenant has a catalog.
struct SeedDefaultCatalog {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  std::array<Id, kDefaultCatalogSize> entry_ids{};
};

// The default tree's events (group first, then its categories), for a new
// tenant or a seed. `ids`: the group's, then each category's.
std::vector<DomainEvent> DefaultCatalogEvents(const Actor& actor, Timestamp at, const Id& tenant_id,
                                              const std::array<Id, kDefaultCatalogSize>& ids);

// A ticket's catalog choice as the command leaves it (after PATCH: the
// ticket's current values where the command did not set them).
struct CatalogChoice {
  std::optional<Id> group_id;
  std::optional<Id> category_id;
  std::optional<Id> subcategory_id;
};
// What a ticket command asks (create: a set value; PATCH: a value or null).
struct CatalogRequest {
  std::optional<Nullable<Id>> group_id;
  std::optional<Nullable<Id>> category_id;
  std::optional<Nullable<Id>> subcategory_id;
  bool Empty() const { return !group_id && !category_id && !subcategory_id; }
};
// The choice after the request: a changed group drops the category and
// subcategory the request does not name, a changed category the
// subcategory; an entry given without its parent brings its parent along
// (a subcategory its category and group, a category its group).
CatalogChoice ResolveCatalogChoice(const Catalog& catalog, CatalogChoice current, const CatalogRequest& request);

// 400 VALIDATION_ERROR naming the field: an unknown, other tenant's or
// archived entry, a category outside the group, a subcategory outside the
// category. `changed` says which fields the command sets: only those must be
// choosable (a ticket may keep an entry archived since).
struct CatalogFieldsSet {
  bool group = false, category = false, subcategory = false;
};
std::optional<DomainError> CheckCatalogChoice(const Catalog& catalog, const CatalogChoice& choice,
                                              CatalogFieldsSet changed);

// May a ticket closed at `closed_at` be reopened at `now`? 409
// INVALID_TRANSITION with reason "reopen_policy" otherwise.
std::optional<DomainError> CheckReopenPolicy(const ReopenPolicy& policy, Timestamp closed_at, Timestamp now);

}  // namespace ticketd::domain

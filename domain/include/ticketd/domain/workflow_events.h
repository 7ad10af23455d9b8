// Workflow events of the tenant directory stream (issue 12, WORKFLOW.md):
// the service catalog (groups -> categories -> subcategories, a group's team
// and assignment mode) and the tenant's reopen policy. They travel as ONE
// alternative (WorkflowEvent) of EventPayload, like AccountEvent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ticketd/domain/id.h"
#include "ticketd/domain/workflow_types.h"

namespace ticketd::domain {

// A new entry. `parent_id`: nil for a group, the group of a category, the
// category of a subcategory. Team and assignment only mean something for a
// group (empty / kManual otherwise).
struct CatalogEntryCreated {
  CatalogKind kind = CatalogKind::kGroup;
  Id entry_id;
  Id parent_id;
  std::string name;
  std::string description;
  std::vector<Id> team_ids;
  AssignmentMode assignment = AssignmentMode::kManual;
  bool operator==(const CatalogEntryCreated&) const = default;
};
// PATCH: only the fields that changed are set.
struct CatalogEntryUpdated {
  CatalogKind kind = CatalogKind::kGroup;
  Id entry_id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::vector<Id>> team_ids;
  std::optional<AssignmentMode> assignment;
  bool operator==(const CatalogEntryUpdated&) const = default;
};
// DELETE: the entry can no longer be chosen; tickets keep their reference.
// Archiving a group or category archives nothing below it, but an entry under
// an archived one cannot be chosen either.
struct CatalogEntryArchived {
  CatalogKind kind = CatalogKind::kGroup;
  Id entry_id;
  bool operator==(const CatalogEntryArchived&) const = default;
};
// PATCH /settings {closed_reopen}: the policy after the change.
struct ReopenPolicyChanged {
  ReopenPolicy policy;
  bool operator==(const ReopenPolicyChanged&) const = default;
};

using WorkflowEvent = std::variant<CatalogEntryCreated, CatalogEntryUpdated, CatalogEntryArchived, ReopenPolicyChanged>;

// The persisted type tag ("catalog.entry_created"). Persistent format: never rename.
std::string_view WorkflowEventTypeName(const WorkflowEvent& event);

}  // namespace ticketd::domain

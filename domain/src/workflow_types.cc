// Wire names of the workflow's value types, the ISO 8601 durations of the
// reopen policy, and the workflow events' type tags.
#include "ticketd/domain/workflow_types.h"

#include "ticketd/domain/iso_duration.h"
#include "ticketd/domain/overloaded.h"
#include "ticketd/domain/workflow_events.h"

namespace ticketd::domain {

std::string_view ToString(AssignmentMode mode) {
  switch (mode) {
    case AssignmentMode::kManual:
      return "manual";
    case AssignmentMode::kRoundRobin:
      return "round_robin";
    case AssignmentMode::kLeastLoaded:
      return "least_loaded";
  }
  return "unknown";
}

std::optional<AssignmentMode> ParseAssignmentMode(std::string_view text) {
  for (AssignmentMode mode : kAllAssignmentModes)
    if (ToString(mode) == text) return mode;
  return std::nullopt;
}

std::string_view ToString(CatalogKind kind) {
  switch (kind) {
    case CatalogKind::kGroup:
      return "group";
    case CatalogKind::kCategory:
      return "category";
    case CatalogKind::kSubcategory:
      return "subcategory";
  }
  return "unknown";
}

std::string ToString(const ReopenPolicy& policy) {
  switch (policy.kind) {
    case ReopenPolicy::Kind::kAllow:
      return "allow";
    case ReopenPolicy::Kind::kDeny:
      return "deny";
    case ReopenPolicy::Kind::kWithin:
      return "within:" + FormatIsoDuration(policy.within);
  }
  return "allow";
}

std::optional<ReopenPolicy> ParseReopenPolicy(std::string_view text) {
  if (text == "allow") return ReopenPolicy{};
  if (text == "deny") return ReopenPolicy{ReopenPolicy::Kind::kDeny, 0};
  constexpr std::string_view kWithin = "within:";
  if (!text.starts_with(kWithin)) return std::nullopt;
  std::optional<Duration> within = ParseIsoDuration(text.substr(kWithin.size()));
  if (!within || *within <= 0 || *within > kMaxIsoDuration) return std::nullopt;
  return ReopenPolicy{ReopenPolicy::Kind::kWithin, *within};
}

std::string_view WorkflowEventTypeName(const WorkflowEvent& event) {
  // Persistent format: never rename.
  auto by_kind = [](CatalogKind kind, std::string_view group, std::string_view category,
                    std::string_view subcategory) {
    switch (kind) {
      case CatalogKind::kGroup:
        return group;
      case CatalogKind::kCategory:
        return category;
      case CatalogKind::kSubcategory:
        return subcategory;
    }
    return group;
  };
  return std::visit(
      Overloaded{
          [&](const CatalogEntryCreated& e) {
            return by_kind(e.kind, "group.created", "category.created", "subcategory.created");
          },
          [&](const CatalogEntryUpdated& e) {
            return by_kind(e.kind, "group.updated", "category.updated", "subcategory.updated");
          },
          [&](const CatalogEntryArchived& e) {
            return by_kind(e.kind, "group.archived", "category.archived", "subcategory.archived");
          },
          [](const ReopenPolicyChanged&) { return std::string_view("settings.closed_reopen_changed"); },
      },
      event);
}

}  // namespace ticketd::domain

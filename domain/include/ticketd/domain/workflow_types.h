// Value types of the workflow (WORKFLOW.md: catalog, teams and fair
// assignment, reopen policy), shared by events, deciders and the shell.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/iso_duration.h"
#include "ticketd/domain/time.h"

namespace ticketd::domain {

// How a group's new (or moved, unassigned) tickets get an assignee. The
// numeric values are persisted (protobuf): never renumber.
enum class AssignmentMode { kManual = 0, kRoundRobin = 1, kLeastLoaded = 2 };
inline constexpr std::array kAllAssignmentModes = {AssignmentMode::kManual, AssignmentMode::kRoundRobin,
                                                   AssignmentMode::kLeastLoaded};
std::string_view ToString(AssignmentMode mode);  // "manual", "round_robin", "least_loaded"
std::optional<AssignmentMode> ParseAssignmentMode(std::string_view text);

// The three levels of the service catalog. Persisted: never renumber.
enum class CatalogKind { kGroup = 0, kCategory = 1, kSubcategory = 2 };
inline constexpr std::array kAllCatalogKinds = {CatalogKind::kGroup, CatalogKind::kCategory,
                                                CatalogKind::kSubcategory};
std::string_view ToString(CatalogKind kind);  // "group", "category", "subcategory"

// The tenant's closed_reopen setting: may a closed ticket be reopened?
struct ReopenPolicy {
  enum class Kind { kAllow = 0, kDeny = 1, kWithin = 2 };  // persisted: never renumber
  Kind kind = Kind::kAllow;
  Duration within = 0;  // kWithin: how long after closing (microseconds, > 0)
  friend bool operator==(const ReopenPolicy&, const ReopenPolicy&) = default;
};
// "allow", "deny" or "within:P14D" (ISO 8601 duration, as written).
std::string ToString(const ReopenPolicy& policy);
// nullopt unless one of the three forms with a positive duration of at most
// ten years.
std::optional<ReopenPolicy> ParseReopenPolicy(std::string_view text);

}  // namespace ticketd::domain

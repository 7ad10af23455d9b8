// ACCESS.md's role table, until the domain permission table replaces it.
#include "ticketd/domain/account_permissions.h"

#include <algorithm>
#include <array>

namespace ticketd::domain {
namespace {

constexpr std::array<std::string_view, 8> kAll = {
    "tickets:create", "tickets:manage", "tickets:close",   "tickets:read_all",
    "tickets:prioritize", "users:manage", "settings:manage", "reports:read"};
constexpr std::array<std::string_view, 6> kAgent = {"tickets:create",   "tickets:manage",    "tickets:close",
                                                    "tickets:read_all", "tickets:prioritize", "reports:read"};
constexpr std::array<std::string_view, 4> kManager = {"tickets:create", "tickets:read_all", "tickets:prioritize",
                                                      "reports:read"};

}  // namespace

std::vector<std::string_view> PermissionNamesOf(const Actor& actor) {
  if (actor.IsPlatformAdmin()) return {};
  std::vector<std::string_view> granted;
  auto add = [&](const auto& list) {
    for (std::string_view p : list)
      if (std::find(granted.begin(), granted.end(), p) == granted.end()) granted.push_back(p);
  };
  if (actor.role == Role::kAdmin) add(kAll);
  if (actor.role == Role::kAgent || actor.it_department) add(kAgent);
  if (actor.role == Role::kManager) add(kManager);
  if (actor.role == Role::kReporter) granted.push_back("tickets:create");
  // The contract's order, whatever the sources.
  std::vector<std::string_view> ordered;
  for (std::string_view p : kAll)
    if (std::find(granted.begin(), granted.end(), p) != granted.end()) ordered.push_back(p);
  return ordered;
}

bool HasPermission(const Actor& actor, std::string_view permission) {
  std::vector<std::string_view> granted = PermissionNamesOf(actor);
  return std::find(granted.begin(), granted.end(), permission) != granted.end();
}

}  // namespace ticketd::domain

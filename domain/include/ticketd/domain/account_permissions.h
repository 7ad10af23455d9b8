// The permissions the sign-in code asks about, behind two small functions.
// Stand-in for the domain permission table (permissions.h, Can(...)) that is
// built in parallel: at the merge these two become one-line calls into it.
// Pure; the role table is ACCESS.md's.
#pragma once

#include <string_view>
#include <vector>

#include "ticketd/domain/types.h"

namespace ticketd::domain {

// The actor's permission names, in the contract's order ("tickets:create", ...).
std::vector<std::string_view> PermissionNamesOf(const Actor& actor);
bool HasPermission(const Actor& actor, std::string_view permission);

}  // namespace ticketd::domain

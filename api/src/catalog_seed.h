// Tenants created before the service catalog existed get the default tree
// (group IT with Hardware, Software, Network, Account, Other) once, at the
// first start that knows about catalogs (docs/api-decisions.md).
#pragma once

#include "ticketd/app/engine.h"
#include "ticketd/base/status.h"

namespace ticketd::api {

// Appends the default tree for every tenant without a catalog and waits
// until it is committed (before the server accepts requests). The decider
// makes it idempotent: a tenant that has a catalog gets nothing.
Status SeedDefaultCatalogs(app::Engine& engine, domain::Timestamp now);

}  // namespace ticketd::api

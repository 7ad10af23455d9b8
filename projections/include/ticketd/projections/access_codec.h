// Canonical binary encoding of a tenant's access state (groups, settings,
// licence, quota alerts, API keys), shared by the write model's and the
// directory read model's snapshots and canonical hashes (binary_codec.h).
#pragma once

#include "ticketd/domain/access.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections {

void EncodeTenantAccess(BinaryWriter& out, const domain::TenantAccess& access);
// Loads into *access; false if the bytes do not parse.
[[nodiscard]] bool DecodeTenantAccess(BinaryReader& in, domain::TenantAccess* access);

}  // namespace ticketd::projections

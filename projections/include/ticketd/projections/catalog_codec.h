// Canonical serialization of a tenant's catalog (domain::Catalog: entries,
// creation order, seeded flag, reopen policy), shared by the write model's
// and the catalog read model's snapshots and hashes.
#pragma once

#include "ticketd/domain/catalog.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections {

void EncodeCatalog(BinaryWriter& out, const domain::Catalog& catalog);
// Into an empty catalog; false if the bytes do not parse.
[[nodiscard]] bool DecodeCatalog(BinaryReader& in, domain::Catalog* catalog);

}  // namespace ticketd::projections

// Canonical serialization of a tenant's sign-in state (domain::AccountState),
// shared by the write model's and the directory read model's snapshots and
// hashes. refresh_owner is derived from the sessions and not stored.
#pragma once

#include "ticketd/domain/accounts.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections {

void EncodeAccountState(BinaryWriter& out, const domain::AccountState& state);
// Into an empty state; false if the bytes do not parse.
[[nodiscard]] bool DecodeAccountState(BinaryReader& in, domain::AccountState* state);

}  // namespace ticketd::projections

// Id generation for the shell (the domain never makes ids): random v4 UUIDs
// for events, tickets and comments, ids derived from an idempotency key, and
// cryptographically random bearer tokens. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "ticketd/domain/id.h"

namespace ticketd::app {

// A random version-4 UUID from a per-thread generator seeded by the OS.
domain::Id RandomId();
// A stable id (UUID version 5 layout over SHA-256) for `name`: the same name
// always gives the same id, so a retried request maps onto the same entity.
domain::Id DerivedId(std::string_view name);
// 32 random bytes from the OS CSPRNG, base64url, prefixed "tkd_".
std::string NewBearerToken();

}  // namespace ticketd::app

// Id generation for the shell (the domain never makes ids): random v4 UUIDs,
// time-ordered v7 UUIDs for events and tickets, ids derived from an idempotency key, and
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
// A version-7 UUID (RFC 9562): the Unix time in ms, a 12-bit sequence within
// the ms, then 62 random bits; strictly increasing per thread. For event and
// ticket ids: RocksDB keys that arrive in order are cheap to insert into its
// memtable (no search of the whole skiplist per key).
domain::Id TimeOrderedId();
// A stable id (UUID version 5 layout over SHA-256) for `name`: the same name
// always gives the same id, so a retried request maps onto the same entity.
domain::Id DerivedId(std::string_view name);
// 32 random bytes from the OS CSPRNG, base64url, prefixed "tkd_".
std::string NewBearerToken();

}  // namespace ticketd::app

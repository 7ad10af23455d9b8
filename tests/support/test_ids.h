// The one builder of made-up ids for tests: readable, deterministic, and
// ordered the way a test expects (by tenant, then number).
//
// Layout: byte 0 the tenant, bytes 1..8 the number (little-endian), byte 15
// a tag that tells kinds of ids apart; the other bytes are zero. Each test
// folder names its usual shape (domain: MakeId, eventstore: TestId,
// projections: Tid) in one line over this.
#pragma once

#include <cstdint>

#include "ticketd/domain/id.h"

namespace ticketd::test_support {

constexpr domain::Id TestIdOf(std::uint8_t tenant, std::uint64_t number, std::uint8_t tag) {
  domain::Id id{};
  id.bytes[0] = tenant;
  for (int i = 0; i < 8; ++i) id.bytes[1 + i] = static_cast<std::uint8_t>(number >> (8 * i));
  id.bytes[15] = tag;
  return id;
}

}  // namespace ticketd::test_support

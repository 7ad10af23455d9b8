// Verification of the audit chain: positions dense from 1, each record's
// hash = SHA-256(previous hash || envelope), each envelope decodable.
#pragma once

#include <cstdint>
#include <string>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::replay {

struct VerifyReport {
  bool ok = false;
  std::uint64_t events = 0;
  std::uint64_t head_position = 0;
  eventstore::Hash head_hash{};
  std::uint64_t first_bad_position = 0;  // when !ok
  std::string problem;                   // when !ok, for a person
};

VerifyReport VerifyLog(const eventstore::EventLog& log);

}  // namespace ticketd::replay

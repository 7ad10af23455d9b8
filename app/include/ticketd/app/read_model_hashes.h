// Canonical hashes of the engine's state: SHA-256 over each read model's (and
// the write model's) sorted canonical serialization, at one log position.
// A model rebuilt from the log alone, one restored from a snapshot and the
// live one hash the same when they hold the same content; the platform admin
// sees them at GET /api/v1/audit/read-models and `ticket-replay read-models`
// prints them from the log alone, so the two can be compared.
#pragma once

#include <cstdint>
#include <string>

#include "ticketd/base/status.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::app {

struct ReadModelHashes {
  std::uint64_t position = 0;  // the last log position folded in (0: empty log)
  std::string tickets, directory, comments, digest, analytics, write_model;  // lowercase hex
};

// Folds the whole log (from position 1) into fresh models, as a start
// without snapshots does, and hashes them. Never writes to the log.
Status RebuildReadModelHashes(const eventstore::EventLog& log, ReadModelHashes* hashes);

// {"position":N,"hashes":{"tickets":"…",…}} — the route's and the CLI's output.
std::string ReadModelHashesJson(const ReadModelHashes& hashes);

}  // namespace ticketd::app

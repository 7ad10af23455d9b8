// Snapshot bodies built off the writer thread. The writer only notes the log
// head (position and chain hash: O(1)); another thread folds a second,
// snapshot-only state from the newest snapshot at or before that position
// plus the log up to it, and encodes that. The log is append-only, so the
// state at a position is a function of the events up to it: the body is the
// one the writer would have encoded there, whatever it has done since.
#pragma once

#include <string>

#include "ticketd/app/snapshot_store.h"
#include "ticketd/base/status.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::app {

// True if a snapshot belongs to this log: its position exists and carries
// the same chain hash (not a copy from another data dir, not a log restored
// from an older backup).
bool SnapshotMatchesLog(const eventstore::EventLog& log, const SnapshotHeader& header);

// The body of the snapshot at `at` (a position the writer noted with its
// chain hash). Any thread; reads the store (callers serialize store access)
// and the log.
Status RebuildSnapshotBody(const eventstore::EventLog& log, const SnapshotStore& store, const SnapshotHeader& at,
                           std::string* body);

}  // namespace ticketd::app

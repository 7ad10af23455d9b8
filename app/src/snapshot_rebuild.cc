#include "snapshot_rebuild.h"

#include <memory>

#include "allocator.h"
#include "engine_state.h"

namespace ticketd::app {

bool SnapshotMatchesLog(const eventstore::EventLog& log, const SnapshotHeader& header) {
  if (header.position > log.HeadPosition()) return false;
  eventstore::Hash at_position{};
  if (header.position > 0) {
    bool found = false;
    Status s = log.ReadAllRaw(header.position, [&](const eventstore::RawRecord& record) {
      found = record.position == header.position;
      at_position = record.hash;
      return false;
    });
    if (!s.ok() || !found) return false;
  }
  return at_position == header.chain_hash;
}

Status RebuildSnapshotBody(const eventstore::EventLog& log, const SnapshotStore& store, const SnapshotHeader& at,
                           std::string* body) {
  // The rebuilt state is a second copy of the snapshot's models (hundreds of
  // MiB at 1M tickets); once it is gone, hand its pages back to the system
  // instead of leaving them in malloc's free lists as resident memory.
  struct ReleaseFreedMemory {
    ~ReleaseFreedMemory() { ReleaseFreeMallocMemory(); }
  } release_on_exit;  // declared first: runs after `state` is destroyed
  auto fresh = [] {
    auto state = std::make_unique<EngineState>();
    state->FoldOnlyWhatSnapshotsHold();
    return state;
  };
  std::unique_ptr<EngineState> state = fresh();
  std::uint64_t base = 0;
  Status loaded = store.LoadNewest([&](const SnapshotHeader& header, std::string_view bytes) {
    if (header.position > at.position || header.body_layout != EngineState::kSnapshotBodyLayout ||
        !SnapshotMatchesLog(log, header))
      return false;
    if (!state->DecodeSnapshotBody(bytes)) {
      state = fresh();  // a half-loaded state must not be folded further
      return false;
    }
    base = header.position;
    return true;
  });
  if (!loaded.ok() && !loaded.IsNotFound()) return loaded;
  std::uint64_t folded = base;
  Status s = log.ReadAllPipelined(base + 1, [&](const eventstore::RecordedEvent& recorded) {
    if (recorded.position > at.position) return false;
    state->Apply(recorded.event);
    folded = recorded.position;
    return true;
  });
  if (!s.ok()) return s;
  if (folded != at.position)
    return Status::Corruption("the log ends at " + std::to_string(folded) + ", before the snapshot position " +
                              std::to_string(at.position));
  *body = state->EncodeSnapshotBody();
  return Status::Ok();
}

}  // namespace ticketd::app

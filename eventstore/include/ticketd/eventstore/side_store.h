// SideStore: a small key/value RocksDB of its own beside the event log, for
// metadata that background threads write often (the mail queue and its
// cursor). Its writes never join the log's RocksDB write groups, so a
// low-priority thread that is preempted in the middle of one cannot hold
// the writer's synced commits (a write group finishes only when its slowest
// member has), and its WAL syncs are not the log's.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "ticketd/base/status.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {

class SideStore {
 public:
  // Opens (creating if missing) the store in `path`.
  static Status Open(const std::string& path, std::unique_ptr<SideStore>* store);
  virtual ~SideStore() = default;

  virtual Status Get(std::string_view key, std::string* value) const = 0;
  // One atomic write. kSynced: durable on return. kWithNextSync: in the
  // store's WAL file (survives kill -9), durable at the next kSynced write
  // or SyncWal().
  virtual Status Write(std::span<const MetaWrite> writes, MetaDurability durability) = 0;
  virtual Status Scan(std::string_view prefix,
                      const std::function<bool(std::string_view key, std::string_view value)>& visit) const = 0;
  // Makes every kWithNextSync write so far durable.
  virtual Status SyncWal() = 0;
  // A consistent copy in `dir` (which must not exist), for online backups.
  virtual Status Checkpoint(const std::string& dir) const = 0;
};

}  // namespace ticketd::eventstore

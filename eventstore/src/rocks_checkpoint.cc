// Checkpoint: a consistent online copy of the log for backups.
#include <rocksdb/utilities/checkpoint.h>

#include <exception>
#include <filesystem>

#include "rocks_event_log.h"

namespace ticketd::eventstore {

Status RocksEventLog::Checkpoint(const std::string& dir, std::uint64_t* position, Hash* hash) const {
  try {
    if (secondary_) return Status::InvalidArgument("a read-only log cannot make a checkpoint");
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) return Status::InvalidArgument("checkpoint target exists: " + dir);
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_, &raw);
    if (!s.ok()) return FromRocks(s, "starting a checkpoint");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    // The default flushes the memtables first, so the copy is SST files
    // (hard links) and a near-empty WAL: cheap for the disk and quick to open.
    s = checkpoint->CreateCheckpoint(dir);
    if (!s.ok()) return FromRocks(s, "writing a checkpoint to " + dir);
    // The copy's own head is the exact position it holds: read it back
    // instead of guessing from the live head, which may have moved on.
    std::unique_ptr<EventLog> copy;
    Status opened = OpenSecondary(dir, std::nullopt, &copy);
    if (!opened.ok()) return opened;
    copy->Head(position, hash);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::IOError("writing a checkpoint to " + dir + " failed: " + e.what());
  }
}

}  // namespace ticketd::eventstore

// ReleaseIdleMemory: flushing the memtables of a quiet log (event_log.h).
//
// The memtables (up to 96 MiB, db_write_buffer_size) absorb write bursts;
// once the log is quiet they only hold events that are also in the WAL, and
// at a million tickets they were the biggest block of memory outside the
// server's own structures (docs/performance.md, branch rssfixed). A flush
// writes them to table files, where reads find them through the block cache
// and the page cache, and frees their arenas.
#include <rocksdb/db.h>

#include <cstdint>
#include <exception>
#include <vector>

#include "rocks_event_log.h"

namespace ticketd::eventstore {

Status RocksEventLog::ReleaseIdleMemory(std::size_t min_bytes) {
  if (secondary_ || db_ == nullptr) return Status::Ok();
  try {
    std::vector<rocksdb::ColumnFamilyHandle*> full;
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      std::uint64_t bytes = 0;
      if (db_->GetIntProperty(handle, rocksdb::DB::Properties::kCurSizeActiveMemTable, &bytes) && bytes >= min_bytes)
        full.push_back(handle);
    }
    if (full.empty()) return Status::Ok();
    rocksdb::FlushOptions options;
    options.wait = true;                // on the caller's (background) thread
    options.allow_write_stall = false;  // waits rather than stall appends
    rocksdb::Status s = db_->Flush(options, full);
    if (!s.ok()) return Status::IOError(FromRocks(s, "flushing idle memtables").message());
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::IOError(std::string("flushing idle memtables: ") + e.what());
  }
}

}  // namespace ticketd::eventstore

// Opening the RocksDB log: options, column families, format marker, head.
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>

#include "keys.h"
#include "rocks_event_log.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {
namespace {

constexpr const char* kFamilyNames[] = {"default", "events", "streams", "event_ids", "meta"};

rocksdb::ColumnFamilyOptions FamilyOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = rocksdb::kNoCompression;
  return options;
}

}  // namespace

Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  std::string message = std::string(context) + ": " + s.ToString();
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status::NotFound(message);
  if (s.IsCorruption()) return Status::Corruption(message);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(message);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return Status::Unavailable(message);
  return Status::IOError(message);  // IOError, NoSpace, lock held by another process, ...
}

Status RocksEventLog::OpenDb(const std::string& path, bool secondary, const EventLogOptions& options,
                             std::unique_ptr<RocksEventLog>* out) {
  auto log = std::unique_ptr<RocksEventLog>(new RocksEventLog());
  log->secondary_ = secondary;
  log->sync_ = options.sync;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing && !secondary;
  db_options.create_missing_column_families = !secondary;
  db_options.max_open_files = secondary ? -1 : 512;
  db_options.IncreaseParallelism(2);
  auto cache = rocksdb::NewLRUCache(64 << 20);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : kFamilyNames) families.emplace_back(name, FamilyOptions(cache));
  rocksdb::Status s;
  if (secondary) {
    char pattern[] = "/tmp/ticket-replay-XXXXXX";
    if (!mkdtemp(pattern)) return Status::IOError("cannot create a temp dir for the secondary instance");
    log->secondary_dir_ = pattern;
    s = rocksdb::DB::OpenAsSecondary(db_options, path, log->secondary_dir_, families, &log->handles_,
                                     &log->db_);
  } else {
    s = rocksdb::DB::Open(db_options, path, families, &log->handles_, &log->db_);
  }
  if (!s.ok()) return FromRocks(s, "opening the event log at " + path);
  Status status = log->CheckFormat(/*may_initialise=*/!secondary);
  if (!status.ok()) return status;
  status = log->LoadHead();
  if (!status.ok()) return status;
  *out = std::move(log);
  return Status::Ok();
}

Status RocksEventLog::OpenPrimary(const EventLogOptions& options, std::unique_ptr<EventLog>* log) {
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  std::unique_ptr<RocksEventLog> opened;
  Status s = OpenDb(options.path, false, options, &opened);
  if (s.ok()) *log = std::move(opened);
  return s;
}

Status RocksEventLog::OpenSecondary(const std::string& path, std::unique_ptr<EventLog>* log) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec))
    return Status::NotFound("no ticketd event log at " + path);
  EventLogOptions options;
  options.path = path;
  std::unique_ptr<RocksEventLog> opened;
  Status s = OpenDb(path, true, options, &opened);
  if (s.ok()) *log = std::move(opened);
  return s;
}

Status EventLog::Open(const EventLogOptions& options, std::unique_ptr<EventLog>* log) {
  return RocksEventLog::OpenPrimary(options, log);
}

Status EventLog::OpenReadOnly(const std::string& path, std::unique_ptr<EventLog>* log) {
  return RocksEventLog::OpenSecondary(path, log);
}

RocksEventLog::~RocksEventLog() {
  if (db_ != nullptr && !secondary_) {
    // A clean shutdown leaves the log in SST files, not only in the WAL: the
    // next start and ticket-replay read it without replaying the WAL, and
    // block checksums then cover every record.
    rocksdb::FlushOptions flush;
    std::vector<rocksdb::ColumnFamilyHandle*> families(handles_.begin(), handles_.end());
    rocksdb::Status s = db_->Flush(flush, families);
    if (!s.ok())
      std::fprintf(stderr, "ticketd: flushing the log at close failed: %s\n", s.ToString().c_str());
  }
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  delete db_;
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(secondary_dir_, ec);
  }
}

Status RocksEventLog::CheckFormat(bool may_initialise) {
  std::string marker;
  Status s = GetMeta(kFormatMetaKey, &marker);
  if (s.ok()) {
    return marker == kFormatMarker
               ? Status::Ok()
               : Status::Corruption("unknown log format '" + marker + "' (not a ticketd data dir?)");
  }
  if (!s.IsNotFound()) return s;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kEvents)));
  it->SeekToFirst();
  if (it->Valid() || !may_initialise) return Status::Corruption("not a ticketd data dir (no format marker)");
  return PutMeta(kFormatMetaKey, kFormatMarker);
}

Status RocksEventLog::LoadHead() {
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(kEvents)));
  it->SeekToLast();
  std::uint64_t position = 0;
  Hash hash{};
  if (it->Valid()) {
    v1::StoredEvent stored;
    if (!DecodeBigEndian64(it->key().ToStringView(), &position) ||
        !stored.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())) ||
        stored.hash().size() != 32)
      return Status::Corruption("the newest log record is unreadable");
    std::copy(stored.hash().begin(), stored.hash().end(), hash.begin());
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading the log head");
  std::lock_guard lock(head_mu_);
  head_ = position;
  head_hash_ = hash;
  return Status::Ok();
}

Status RocksEventLog::Refresh() {
  if (!secondary_) return Status::Ok();
  rocksdb::Status s = db_->TryCatchUpWithPrimary();
  if (!s.ok()) return FromRocks(s, "catching up with ticketd");
  return LoadHead();
}

}  // namespace ticketd::eventstore

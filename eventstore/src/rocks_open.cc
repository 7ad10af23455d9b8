// Opening the RocksDB log: options, column families, format marker, head.
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <stdlib.h>

#include <cstdarg>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>

#include "envelope_scan.h"
#include "keys.h"
#include "rocks_event_log.h"
#include "stderr_logger.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {
namespace {

// Persistent format: the order matches RocksEventLog::Family.
constexpr const char* kFamilyNames[] = {"default", "events", "streams", "event_ids", "meta", "subject_keys", "blobs"};
// Logs written before crypto-shredding lack the last family: a writer adds
// it, a read-only instance does without (no keys, nothing sealed).
constexpr std::size_t kLegacyFamilyCount = 5;

rocksdb::ColumnFamilyOptions FamilyOptions(const char* name, const std::shared_ptr<rocksdb::Cache>& cache) {
  const std::string_view family = name;
  const bool point_lookups = family == "streams" || family == "event_ids";
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  rocksdb::ColumnFamilyOptions options;
  options.compression = rocksdb::kNoCompression;  // small records; CPU matters more than disk here
  if (point_lookups) {
    // Every append asks "is this event id new?" and, for an uncached stream,
    // "is this version free?": nearly always "no such key", which the bloom
    // filters (in SST files and in the memtable) answer without a search.
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    options.memtable_prefix_bloom_size_ratio = 0.05;
    options.memtable_whole_key_filtering = true;
  }
  if (family == "events") {
    // Positions arrive in increasing order: remember the insert point.
    options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(4));
  }
  // Event ids and new tickets' ids are time-ordered (app/ids.h): an event id
  // lands just after the previous one, and a new stream's first key just
  // after the tenant's previous new stream. The hint (per event-id time
  // prefix of ~65 s, per tenant) starts the skiplist search there instead of
  // at the top. Keys that do not follow (older v4 ids, later versions of an
  // existing stream) only lose the hint.
  if (family == "event_ids")
    options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(4));
  if (family == "streams")
    options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(16));
  // Writes never wait for a flush: up to four memtables per family (one
  // active, the others being flushed) instead of two, so a memtable switch
  // while the previous flush still runs (on two busy cores it can lag) does
  // not stop the writer. The point-lookup families' keys are small: a
  // smaller buffer each. DBOptions::db_write_buffer_size caps the total.
  // Half what they were (64/32 MiB): the memtables are part of the 1 GiB
  // RSS budget at a million tickets, and flushing 32 MiB instead of 64 costs
  // the writer nothing measurable (docs/performance.md, branch rss1m).
  options.max_write_buffer_number = 4;
  options.write_buffer_size = point_lookups ? (16u << 20) : (32u << 20);
  // Appends never read old L0 files except through bloom filters: let L0
  // grow further before RocksDB slows (20 by default) or stops (36) writes.
  options.level0_slowdown_writes_trigger = 32;
  options.level0_stop_writes_trigger = 64;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  if (family == "blobs") {
    // Attachments (up to 5 MiB each) go to blob files beside the SSTs, so
    // compactions move only the small reference keys; garbage collection
    // rewrites blob files whose bytes were dropped (hard delete, erasure).
    options.enable_blob_files = true;
    options.min_blob_size = 1024;
    options.enable_blob_garbage_collection = true;
    options.blob_garbage_collection_age_cutoff = 1.0;
    // Streamed uploads pass through here in chunks: small memtables keep
    // ten concurrent 25 MiB uploads from growing the server's RSS much.
    options.write_buffer_size = 16u << 20;
    options.max_write_buffer_number = 2;
  }
  return options;
}

bool HasCurrentFile(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec);
}

// A RocksDB dir with other column families than ours is someone else's data:
// refuse before RocksDB would create our families in it.
Status CheckFamilies(const std::string& path, std::size_t* count) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names);
  if (!s.ok()) return FromRocks(s, "reading the column families of " + path);
  std::sort(names.begin(), names.end());
  // Logs from before attachments lack `blobs` (a writer adds it).
  for (std::size_t n : {std::size(kFamilyNames), std::size(kFamilyNames) - 1, kLegacyFamilyCount}) {
    std::vector<std::string> ours(std::begin(kFamilyNames), std::begin(kFamilyNames) + n);
    std::sort(ours.begin(), ours.end());
    if (names == ours) {
      *count = n;
      return Status::Ok();
    }
  }
  return Status::Corruption("not a ticketd data dir: " + path + " holds another RocksDB");
}

}  // namespace

Status FromRocks(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::Ok();
  std::string message = std::string(context) + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(message);
  if (s.IsCorruption()) return Status::Corruption(message);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(message);
  if (s.IsNoSpace()) return Status::IOError("disk full: " + message);
  // RocksDB says "While lock file: <dir>/LOCK: Resource temporarily
  // unavailable" (another process) or "lock hold by current process".
  if (s.IsIOError() && (s.ToString().find("lock file") != std::string::npos ||
                        s.ToString().find("lock hold") != std::string::npos))
    return Status::IOError("the event log is in use by another process (is ticketd already running?): " +
                           message);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return Status::Unavailable(message);
  return Status::IOError(message);
}

Status RocksEventLog::OpenDb(const std::string& path, bool secondary, const EventLogOptions& options,
                             std::unique_ptr<RocksEventLog>* out) {
  const bool fresh = !HasCurrentFile(path);
  std::size_t family_count = std::size(kFamilyNames);
  if (!fresh) {
    Status families = CheckFamilies(path, &family_count);
    if (!families.ok()) return families;
    if (!secondary) family_count = std::size(kFamilyNames);  // adds what a legacy log lacks
  }
  auto log = std::unique_ptr<RocksEventLog>(new RocksEventLog());
  log->secondary_ = secondary;
  log->sync_ = options.sync;
  log->path_ = path;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = fresh && !secondary;
  db_options.create_missing_column_families = !secondary;
  db_options.max_open_files = secondary ? -1 : 512;    // a secondary needs every file open
  db_options.allow_concurrent_memtable_write = false;  // one writer; keeps the insert hints working
  db_options.IncreaseParallelism(2);
  // All memtables together stay under 96 MiB (part of the 1 GiB RSS budget
  // at a million tickets): past it RocksDB flushes the largest one early.
  db_options.db_write_buffer_size = 96u << 20;
  // A full disk (ENOSPC) is a "retryable" error to RocksDB, which would then
  // resume in the background by re-syncing the WAL writer that failed; the
  // Debian build asserts on exactly that and aborts the process. Stay in the
  // error state instead: writes keep failing (503), reads keep working, and
  // a restart once there is room recovers from the synced WAL.
  db_options.max_bgerror_resume_count = 0;
  db_options.info_log = std::make_shared<StderrLogger>();
  // Data blocks only (index and filter blocks live in the table readers):
  // appends read one on a bloom filter's false positive (~1% of them), so a
  // 64 MiB cache filled over a million creates with blocks read once. Full
  // scans bypass it (fill_cache = false) and misses hit the page cache.
  auto cache = rocksdb::NewLRUCache(16 << 20);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (std::size_t i = 0; i < family_count; ++i)
    families.emplace_back(kFamilyNames[i], FamilyOptions(kFamilyNames[i], cache));
  rocksdb::Status s;
  if (secondary) {
    char pattern[] = "/tmp/ticketd-secondary-XXXXXX";
    if (mkdtemp(pattern) == nullptr)
      return Status::IOError("cannot create a temp dir for the read-only instance");
    log->secondary_dir_ = pattern;
    s = rocksdb::DB::OpenAsSecondary(db_options, path, log->secondary_dir_, families, &log->handles_,
                                     &log->db_);
  } else {
    s = rocksdb::DB::Open(db_options, path, families, &log->handles_, &log->db_);
  }
  if (!s.ok()) return FromRocks(s, "opening the event log at " + path);
  log->vault_ = std::make_unique<KeyVault>(log->db_, log->cf(kSubjectKeys), options.master_key);
  Status status = log->CheckFormat(fresh);
  if (status.ok()) status = log->vault_->CheckMasterKey(log->cf(kMeta), /*writer=*/!secondary);
  if (status.ok()) status = log->LoadHead();
  if (status.ok()) status = log->SweepOrphanStagings();  // attachments (issue 13)
  if (!status.ok()) return status;
  *out = std::move(log);
  return Status::Ok();
}

Status RocksEventLog::OpenPrimary(const EventLogOptions& options, std::unique_ptr<EventLog>* log) {
  try {
    if (!HasCurrentFile(options.path)) {
      if (!options.create_if_missing) return Status::NotFound("no ticketd event log at " + options.path);
      std::error_code ec;
      std::filesystem::create_directories(options.path, ec);
      if (ec) return Status::IOError("cannot create " + options.path + ": " + ec.message());
    }
    std::unique_ptr<RocksEventLog> opened;
    Status s = OpenDb(options.path, /*secondary=*/false, options, &opened);
    if (s.ok()) *log = std::move(opened);
    return s;
  } catch (const std::exception& e) {
    return Status::IOError("opening the event log at " + options.path + " failed: " + e.what());
  }
}

Status RocksEventLog::OpenSecondary(const std::string& path, const std::optional<MasterKey>& master_key,
                                    std::unique_ptr<EventLog>* log) {
  try {
    if (!HasCurrentFile(path)) return Status::NotFound("no ticketd event log at " + path);
    EventLogOptions options;
    options.path = path;
    options.create_if_missing = false;
    options.master_key = master_key;
    std::unique_ptr<RocksEventLog> opened;
    Status s = OpenDb(path, /*secondary=*/true, options, &opened);
    if (s.ok()) *log = std::move(opened);
    return s;
  } catch (const std::exception& e) {
    return Status::IOError("opening the event log at " + path + " failed: " + e.what());
  }
}

Status EventLog::Open(const EventLogOptions& options, std::unique_ptr<EventLog>* log) {
  return RocksEventLog::OpenPrimary(options, log);
}

Status EventLog::OpenReadOnly(const std::string& path, std::unique_ptr<EventLog>* log) {
  return RocksEventLog::OpenSecondary(path, std::nullopt, log);
}

Status EventLog::OpenReadOnly(const std::string& path, const std::optional<MasterKey>& master_key,
                              std::unique_ptr<EventLog>* log) {
  return RocksEventLog::OpenSecondary(path, master_key, log);
}

RocksEventLog::~RocksEventLog() {
  if (blob_reader_) {
    for (rocksdb::ColumnFamilyHandle* handle : blob_reader_handles_) blob_reader_->DestroyColumnFamilyHandle(handle);
    blob_reader_.reset();
  }
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
  vault_.reset();
  if (db_ != nullptr) {
    for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    delete db_;
  }
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(secondary_dir_, ec);
  }
}

// The marker is written when the log is created. A missing marker is only
// acceptable in a log that holds nothing at all (creation was interrupted).
Status RocksEventLog::CheckFormat(bool fresh) {
  std::string marker;
  Status s = GetMeta(kFormatMetaKey, &marker);
  if (s.ok()) {
    return marker == kFormatMarker
               ? Status::Ok()
               : Status::Corruption("not a ticketd data dir: unknown log format '" + marker + "'");
  }
  if (!s.IsNotFound()) return s;
  bool empty = false;
  if (!fresh) {
    s = AllFamiliesEmpty(&empty);
    if (!s.ok()) return s;
  }
  if (secondary_ || !(fresh || empty)) return Status::Corruption("not a ticketd data dir (no format marker)");
  return PutMeta(kFormatMetaKey, kFormatMarker);
}

Status RocksEventLog::AllFamiliesEmpty(bool* empty) const {
  *empty = true;
  for (auto* handle : handles_) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle));
    it->SeekToFirst();
    if (!it->status().ok()) return FromRocks(it->status(), "checking the event log");
    if (it->Valid()) *empty = false;
  }
  return Status::Ok();
}

// The head is the newest record: its key, which its envelope must name too,
// and its stored chain hash.
Status RocksEventLog::LoadHead() {
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(kEvents)));
  it->SeekToLast();
  std::uint64_t position = 0;
  Hash hash{};
  if (it->Valid()) {
    v1::StoredEvent stored;
    std::uint64_t named = 0;
    if (!DecodeBigEndian64(it->key().ToStringView(), &position) ||
        !stored.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())) ||
        stored.hash().size() != 32 || !EnvelopePosition(stored.envelope(), &named) || named != position)
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

// RocksEventLog: the RocksDB implementation of EventLog (see event_log.h for
// the column families and the threading rules).
//
// Files: rocks_open.cc (options, open, format marker, head, status
// translation), rocks_append.cc (AppendBatch), rocks_event_log.cc (reads),
// rocks_checkpoint.cc (online copies for backups), rocks_erasure.cc (erasure
// completion markers and purge).
// The head (position + hash) is guarded by head_mu_ so any thread may read
// it; versions_ belongs to the writer thread alone.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "blob_batch.h"
#include "key_vault.h"
#include "keys.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {

class RocksEventLog final : public EventLog {
 public:
  static Status OpenPrimary(const EventLogOptions& options, std::unique_ptr<EventLog>* log);
  static Status OpenSecondary(const std::string& path, const std::optional<MasterKey>& master_key,
                              std::unique_ptr<EventLog>* log);
  ~RocksEventLog() override;

  Status AppendBatch(std::span<const Commit> commits, std::vector<CommitOutcome>* outcomes) override;
  Status ReadStream(const StreamKey& stream, std::vector<RecordedEvent>* out) const override;
  Status ReadAll(std::uint64_t from, const std::function<bool(const RecordedEvent&)>& visit) const override;
  Status ReadAllPipelined(std::uint64_t from,
                          const std::function<bool(const RecordedEvent&)>& visit) const override;  // rocks_read_pipelined.cc
  Status ReadAllRaw(std::uint64_t from, const std::function<bool(const RawRecord&)>& visit) const override;
  std::uint64_t HeadPosition() const override;
  Hash HeadHash() const override;
  void Head(std::uint64_t* position, Hash* hash) const override;
  std::int64_t StreamVersion(const StreamKey& stream) const override;
  Status FindEvent(const domain::Id& event_id, std::uint64_t* position) const override;
  Status GetMeta(std::string_view key, std::string* value) const override;
  Status PutMeta(std::string_view key, std::string_view value) override;
  Status WriteMeta(std::span<const MetaWrite> writes, MetaDurability durability) override;  // rocks_meta.cc
  Status ScanMeta(std::string_view prefix,
                  const std::function<bool(std::string_view key, std::string_view value)>& visit) const override;
  Status Refresh() override;
  Status Checkpoint(const std::string& dir, std::uint64_t* position, Hash* hash) const override;
  Status ReleaseIdleMemory(std::size_t min_bytes) override;  // rocks_idle_memory.cc
  Status UnpurgedErasure(std::uint64_t* position) const override;
  Status PurgeErasedKeys() override;
  Status MarkErasuresPurged(std::uint64_t position) override;
  Status ReadBlob(const domain::Id& tenant_id, std::string_view sha256, std::string* bytes) const override;
  Status BlobStored(const domain::Id& tenant_id, std::string_view sha256, bool* stored) const override;
  Status StageBlob(std::unique_ptr<BlobStaging>* staging) override;  // blob_staging.cc
  Status DropStaged(std::string_view staged_id) override;

 private:
  enum Family { kDefault = 0, kEvents, kStreams, kEventIds, kMeta, kSubjectKeys, kBlobs, kFamilyCount };
  struct BatchState;  // rocks_append.cc

  RocksEventLog() = default;
  static Status OpenDb(const std::string& path, bool secondary, const EventLogOptions& options,
                       std::unique_ptr<RocksEventLog>* out);
  Status LoadHead();
  Status CheckFormat(bool fresh);
  Status AllFamiliesEmpty(bool* empty) const;

  // AppendBatch's steps for one commit (rocks_append.cc). Each returns
  // non-OK only when RocksDB could not be read; a refused commit is told by
  // its outcome.
  Status StageCommit(const Commit& commit, BatchState* batch, CommitOutcome* outcome);
  Status CheckDuplicate(const Commit& commit, const BatchState& batch, CommitOutcome* outcome) const;
  Status CheckEventIds(const Commit& commit, const BatchState& batch, CommitOutcome* outcome) const;
  Status CheckVersions(const Commit& commit, BatchState* batch, CommitOutcome* outcome);
  Status EncodeCommit(const Commit& commit, BatchState* batch);
  void WriteCommit(const Commit& commit, BatchState* batch, CommitOutcome* outcome);
  // Attachment bytes and references of a commit (rocks_blobs.cc): stores new
  // bytes, drops those whose last living ticket the commit deletes or erases.
  Status StageBlobs(const Commit& commit, BlobBatch* blobs, rocksdb::WriteBatch* write, KeyVault::Batch* keys);
  void TrimVersionCache();
  // The stream's version as the batch sees it, through the cache; -1 if it
  // is not `expected` (only the expected answer is worth a lookup).
  Status CurrentVersion(const StreamKey& stream, std::int64_t expected, const BatchState& batch,
                        std::int64_t* version);
  // Does the stream hold exactly `version` events (version 0: none)?
  Status StreamHasVersion(const std::string& prefix, std::int64_t version, bool* matches) const;
  // One record of ReadAllRaw decoded with the log's text keys; Corruption
  // naming its position.
  Status DecodeRecord(const RawRecord& raw, RecordedEvent* recorded) const;
  Status FindEventIn(const domain::Id& event_id, const BatchState& batch, std::uint64_t* position) const;

  rocksdb::ColumnFamilyHandle* cf(Family f) const { return f < handles_.size() ? handles_[f] : nullptr; }

  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<KeyVault> vault_;  // after db_ and handles_: it points into them
  bool secondary_ = false;
  bool sync_ = true;
  std::string path_;
  std::string secondary_dir_;  // private temp dir of a secondary instance
  // RocksDB 7.8's secondary instance crashes reading values kept in blob
  // files (DBImplSecondary::Get -> BlobSource cache key): a secondary reads
  // attachment bytes through a read-only instance of its own, opened on the
  // first ReadBlob (rocks_blobs.cc).
  mutable std::mutex blob_reader_mu_;
  mutable std::unique_ptr<rocksdb::DB> blob_reader_;
  mutable std::vector<rocksdb::ColumnFamilyHandle*> blob_reader_handles_;
  Status BlobReaderGet(const std::string& key, std::string* value) const;
  // A `blobs` value by key, through the reader a secondary needs.
  Status GetBlobValue(const std::string& key, std::string* value) const;
  // Streamed uploads (blob_staging.cc): the bytes of a 'C' pointer record,
  // and the start-up sweep of stagings no commit adopted (a crash mid-upload).
  Status ReadStagedBlob(const domain::Id& tenant_id, std::string_view sha256, std::string_view pointer,
                        std::string* bytes) const;
  Status SweepOrphanStagings();
  // Where stagings write their SST files before ingestion (path_/staging).
  std::string StagingDir() const;

  mutable std::mutex head_mu_;
  std::uint64_t head_ = 0;
  Hash head_hash_{};

  // Writer thread only: stream -> committed version, filled on first touch
  // from RocksDB and kept current by AppendBatch, so a commit on a known
  // stream needs no lookup. Bounded; evicts arbitrary entries when full.
  std::unordered_map<StreamKey, std::int64_t, StreamKeyHash> versions_;
};

// Deletes a staging's chunks and marker in one write (blob_staging.cc).
Status DropStagedChunks(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, std::string_view staging_id);

// rocksdb::Status -> Status, with context (rocks_open.cc).
Status FromRocks(const rocksdb::Status& s, std::string_view context);

}  // namespace ticketd::eventstore

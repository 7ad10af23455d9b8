// EventLog: the append-only, hash-chained event log in RocksDB.
//
// Column families (persistent format: never rename or reuse a prefix):
//   events     key = position (8 bytes big-endian)          -> StoredEvent
//   streams    key = tenant(16) | stream(16) | version(8 BE) -> position (8 BE)
//   event_ids  key = event id (16)                            -> position (8 BE)
//   meta       key = utf-8 name                               -> bytes
//   subject_keys key = "ticket:<uuid>" | "user:<uuid>"        -> wrapped data key
//                                                                or erasure fence
//
// Personal text is sealed by the log itself when it has a master key
// (subject_keys.h): callers append and read plain domain events.
//
// Threading: exactly one thread may call AppendBatch (the engine's writer);
// PutMeta and every const method are safe from any thread, concurrently with
// it (RocksDB orders the writes; the outbox relay stores its cursor so).
// Nothing is acknowledged before AppendBatch returns, and AppendBatch returns
// only after its WriteBatch is synced (group commit: many commands, one fsync).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/domain/events.h"
#include "ticketd/domain/id.h"
#include "ticketd/base/status.h"
#include "ticketd/eventstore/subject_keys.h"
#include "ticketd/eventstore/blob_staging.h"

namespace ticketd::eventstore {

using Hash = std::array<std::uint8_t, 32>;

struct StreamKey {
  domain::Id tenant_id;
  domain::Id stream_id;
  friend bool operator==(const StreamKey&, const StreamKey&) = default;
};

// An event to append. Its stream is (event.tenant_id, event.stream_id).
struct EventToAppend {
  domain::Id event_id;        // unique; a repeated id makes the commit a duplicate
  domain::Id correlation_id;  // the request that caused it
  std::int64_t version = 0;   // the stream version this event gets (1-based)
  domain::DomainEvent event;
};

// The bytes of an attachment (issue 13), stored by the log in the same
// WriteBatch as the commit's attachment.added event that names them (blobs
// column family, rocks_blobs.cc). Bytes already stored for the tenant are
// not written again (content-addressed: deduplicated).
struct BlobToStore {
  domain::Id tenant_id;
  std::string sha256;  // lowercase hex of the bytes
  std::shared_ptr<const std::string> bytes;  // or, for a streamed upload:
  std::string staged;  // StagedBlob::Encode() of its chunks (blob_staging.h), adopted by the commit
};

// One command's events: all appended, or none. The first event of each
// stream in the commit must have version == current stream version + 1 and
// the following ones consecutive; otherwise the commit fails with Conflict.
struct Commit {
  std::vector<EventToAppend> events;
  std::vector<BlobToStore> blobs;  // for its attachment.added events whose bytes are new
  // Every event id was generated just now (time-ordered with 62 random bits,
  // app/ids.h), so none can be in the log: the duplicate and id-reuse
  // lookups are skipped (a point lookup per commit on the append path).
  // Ids within the commit are still checked against each other.
  bool ids_are_new = false;
};

struct CommitOutcome {
  Status status;                    // Ok, Conflict, InvalidArgument, or the batch's IOError
  bool duplicate = false;           // first event id already in the log: nothing written
  std::uint64_t first_position = 0; // positions the commit's events have (also for a duplicate)
  std::uint64_t last_position = 0;
};

struct RecordedEvent {
  std::uint64_t position = 0;
  domain::Id event_id;
  domain::Id correlation_id;
  std::int64_t version = 0;
  std::uint32_t schema_version = 1;
  Hash hash{};
  domain::DomainEvent event;
};

// A stored record as bytes, for verification and export without decoding.
struct RawRecord {
  std::uint64_t position = 0;
  std::string_view envelope;  // serialized EventEnvelope
  Hash hash{};
};

struct EventLogOptions {
  std::string path;
  bool sync = true;          // fsync each batch; only benchmarks turn this off
  bool create_if_missing = true;
  // Seals personal text with per-subject data keys wrapped by this key; none:
  // text is stored plain (tools, tests, benchmarks of the cost of sealing).
  std::optional<MasterKey> master_key;
};

// How a WriteMeta batch reaches the disk. kSynced: durable when WriteMeta
// returns (its own WAL fsync). kWithNextSync: written to the WAL file (it
// survives kill -9) and made durable by the next synced write of the log,
// the writer's next commit; a power loss before that may lose it and every
// later write, never an earlier one (the WAL is replayed as a prefix). For
// state that can be derived again, such as the mail queue and its cursor.
enum class MetaDurability { kSynced, kWithNextSync };

// One write of WriteMeta: a put, or a delete when `value` is nullopt.
struct MetaWrite {
  std::string key;
  std::optional<std::string> value;
};

class EventLog {
 public:
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  virtual ~EventLog() = default;

  // Opens (creating if allowed) the log for reading and writing. Fails with
  // IOError if another process holds it, Corruption if it is not a ticketd
  // log or fails RocksDB's checks.
  static Status Open(const EventLogOptions& options, std::unique_ptr<EventLog>* log);
  // Opens an existing log without ever writing to it, also while ticketd runs
  // (RocksDB secondary instance under a private temp dir). AppendBatch and
  // PutMeta return InvalidArgument. NotFound if `path` holds no log.
  static Status OpenReadOnly(const std::string& path, std::unique_ptr<EventLog>* log);
  // The same, opening sealed personal text with `master_key` (InvalidArgument
  // if it is not this data dir's key).
  static Status OpenReadOnly(const std::string& path, const std::optional<MasterKey>& master_key,
                             std::unique_ptr<EventLog>* log);

  // Writes every commit that passes its checks in one synced WriteBatch.
  // outcomes->at(i) belongs to commits[i]. Returns non-OK only when the batch
  // itself could not be written; then nothing was written and every
  // non-duplicate, non-conflicting outcome carries that status.
  // A UserErased / TicketErased event destroys its subject's data key in the
  // same write (the erasure fence) and records the erasure's position as not
  // yet purged; the caller then completes it (PurgeErasedKeys, its own
  // copies such as snapshots, MarkErasuresPurged). A commit with new personal
  // text for an erased subject is refused (InvalidArgument).
  virtual Status AppendBatch(std::span<const Commit> commits, std::vector<CommitOutcome>* outcomes) = 0;

  // Erasure completion, crash-safe: the fence is durable with its event, the
  // "purged through" marker only once every trace of the destroyed key is
  // gone, so an erasure whose purge a crash interrupted is still known as
  // unfinished after a restart (and completed then, or by a retry).
  // *position: the newest erasure not yet marked purged, 0 if none.
  virtual Status UnpurgedErasure(std::uint64_t* position) const = 0;
  // Makes destroyed keys physically gone from the data dir: memtables
  // flushed (so the WAL that held them is deleted), the key range compacted
  // (no SST keeps an old version). Writer thread. IOError on failure.
  virtual Status PurgeErasedKeys() = 0;
  // Records that every erasure up to `position` is complete (synced).
  virtual Status MarkErasuresPurged(std::uint64_t position) = 0;

  // Every event of a stream in version order (empty if none).
  virtual Status ReadStream(const StreamKey& stream, std::vector<RecordedEvent>* events) const = 0;
  // Visits events with position >= from in position order until `visit`
  // returns false. Corruption (with the position in the message) on a record
  // that cannot be decoded.
  virtual Status ReadAll(std::uint64_t from, const std::function<bool(const RecordedEvent&)>& visit) const = 0;
  // The same, with the reading and decoding on a second thread while `visit`
  // runs on the calling thread (recovery and snapshot rebuilds: the two
  // halves cost about the same). The helper is joined before it returns.
  virtual Status ReadAllPipelined(std::uint64_t from,
                                  const std::function<bool(const RecordedEvent&)>& visit) const = 0;
  // Like ReadAll, without decoding: for chain verification and export.
  virtual Status ReadAllRaw(std::uint64_t from, const std::function<bool(const RawRecord&)>& visit) const = 0;

  // Newest committed position (0 for an empty log) and its chain hash.
  virtual std::uint64_t HeadPosition() const = 0;
  virtual Hash HeadHash() const = 0;
  // Both at once, consistent with each other (the hash of that position).
  virtual void Head(std::uint64_t* position, Hash* hash) const = 0;
  // Current version of a stream (0 if it has no events).
  virtual std::int64_t StreamVersion(const StreamKey& stream) const = 0;
  // Position of an event by id; NotFound if absent.
  virtual Status FindEvent(const domain::Id& event_id, std::uint64_t* position) const = 0;

  // The bytes of a tenant's attachment. NotFound once no living ticket
  // references them (hard delete or erasure destroyed their key), and for
  // bytes never stored; Corruption if they do not open under their key.
  virtual Status ReadBlob(const domain::Id& tenant_id, std::string_view sha256, std::string* bytes) const = 0;
  // Whether the log holds the bytes of (tenant, sha256) now: an upload whose
  // bytes are stored already need not stage them (its commit only adds a
  // reference; should they be shredded before it lands, the commit is
  // refused, nothing changed, and the caller may retry). Any thread.
  virtual Status BlobStored(const domain::Id& tenant_id, std::string_view sha256, bool* stored) const = 0;
  // A file's bytes written as they arrive (blob_staging.h); any thread but
  // the writer. InvalidArgument on a read-only log.
  virtual Status StageBlob(std::unique_ptr<BlobStaging>* staging) = 0;
  // Deletes the chunks of a finished staging no commit adopted (an upload
  // refused or failed after its files were staged). Any thread.
  virtual Status DropStaged(std::string_view staged_id) = 0;

  // Small synced key/value metadata (admin token hash, relay cursor, ...).
  virtual Status GetMeta(std::string_view key, std::string* value) const = 0;
  virtual Status PutMeta(std::string_view key, std::string_view value) = 0;
  // Several metadata writes in ONE batch: all or none (the mail notifier
  // moves its queue entries and its cursor together). Any thread.
  virtual Status WriteMeta(std::span<const MetaWrite> writes, MetaDurability durability) = 0;
  // Visits the metadata keys starting with `prefix` in key order until
  // `visit` returns false.
  virtual Status ScanMeta(std::string_view prefix,
                          const std::function<bool(std::string_view key, std::string_view value)>& visit) const = 0;

  // For a secondary (read-only) instance: catch up with the primary.
  virtual Status Refresh() = 0;

  // Writes a consistent copy of the log into `dir`, which must not exist
  // (its parent must): a RocksDB checkpoint, hard-linking the immutable
  // files where the file system allows and copying otherwise. Safe while
  // AppendBatch runs on another thread: the copy holds whole batches only.
  // *position and *hash are the head of the copy. IOError/InvalidArgument on
  // failure; a failed checkpoint leaves nothing usable at `dir`.
  virtual Status Checkpoint(const std::string& dir, std::uint64_t* position, Hash* hash) const = 0;

  // Memory held for write bursts, handed back while the log is quiet
  // (app/idle_memory.h calls it after a while without appends): flushes every
  // memtable holding at least `min_bytes` to its table file, so its arena is
  // freed. Safe from any thread, concurrently with AppendBatch (appends then
  // go to a fresh memtable). Ok with nothing to do; IOError if a flush fails.
  virtual Status ReleaseIdleMemory(std::size_t min_bytes) = 0;

 protected:
  EventLog() = default;
};

// SHA-256(previous || envelope): the audit chain step.
Hash ChainHash(const Hash& previous, std::string_view envelope);
std::string HashToHex(const Hash& hash);

}  // namespace ticketd::eventstore

// AppendBatch: group commit of many commands' events in one synced
// WriteBatch. Writer thread only (see event_log.h).
//
// Each commit is checked in order against the log as it will be once the
// earlier commits of the same batch are written: duplicate first event id ->
// duplicate outcome; bad input -> InvalidArgument; wrong stream version ->
// Conflict. The rest get dense positions and chained hashes. Nothing of the
// batch touches head_ or versions_ until RocksDB has accepted the write.
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <unordered_map>
#include <unordered_set>

#include "blob_batch.h"
#include "rocks_event_log.h"
#include "sealed_codec.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {
namespace {

// ~72 bytes per entry (a 64-byte node and a bucket): 64k streams cost under
// 5 MiB. A miss costs a bloom-filtered point lookup (a new stream: none
// found) or two reads (an existing one), so the cache need not hold every
// ticket; 256k entries (~20 MiB) counted against issue 12's 1 GiB at a
// million tickets for no measurable gain (branch rssfixed).
constexpr std::size_t kMaxCachedStreams = std::size_t{1} << 16;
// Room reserved in the WriteBatch per event (value plus three keys).
constexpr std::size_t kBytesPerEventHint = 512;

bool Refused(const CommitOutcome& outcome) {
  return outcome.duplicate || outcome.status.IsConflict() ||
         outcome.status.code() == Status::Code::kInvalidArgument;
}

// The batch could not be written: every commit that would have been written
// (and every one not looked at yet) carries `failure`.
Status FailBatch(const Status& failure, std::vector<CommitOutcome>* outcomes) {
  for (CommitOutcome& outcome : *outcomes) {
    if (Refused(outcome)) continue;
    outcome.status = failure;
    outcome.first_position = outcome.last_position = 0;
  }
  return failure;
}

}  // namespace

struct RocksEventLog::BatchState {
  std::uint64_t position = 0;  // the head as this batch advances it
  Hash hash{};
  rocksdb::WriteBatch write;
  // Stream versions after the earlier commits of this batch.
  std::unordered_map<StreamKey, std::int64_t, StreamKeyHash> versions;
  // Event ids written by the earlier commits of this batch.
  std::unordered_map<domain::Id, std::uint64_t, domain::IdHash> ids;
  bool any_written = false;
  KeyVault::Batch keys;  // data keys made and destroyed by this batch
  // Scratch, reused across events.
  v1::StoredEvent stored;
  std::string value;
  std::vector<std::pair<StreamKey, std::int64_t>> commit_versions;
  std::vector<std::string> envelopes;

  BlobBatch blobs;        // attachments (rocks_blobs.cc)

  BatchState(std::size_t reserve, KeyVault* vault) : write(reserve), keys(vault, &write) {}
};

Status RocksEventLog::AppendBatch(std::span<const Commit> commits, std::vector<CommitOutcome>* outcomes) {
  bool committed = false;
  try {
    outcomes->assign(commits.size(), CommitOutcome{});
    if (secondary_) {
      const Status read_only = Status::InvalidArgument("the log is open read-only");
      for (auto& outcome : *outcomes) outcome.status = read_only;
      return read_only;
    }
    std::size_t event_count = 0;
    for (const Commit& commit : commits) event_count += commit.events.size();
    BatchState batch(std::min<std::size_t>(event_count * kBytesPerEventHint, 64u << 20), vault_.get());
    Head(&batch.position, &batch.hash);
    TrimVersionCache();

    for (std::size_t i = 0; i < commits.size(); ++i) {
      Status s = StageCommit(commits[i], &batch, &(*outcomes)[i]);
      if (!s.ok()) return FailBatch(s, outcomes);
    }
    if (!batch.any_written) return Status::Ok();
    // Marks the erasure unfinished in the same write as its fence: a crash
    // before its purge completes is then noticed at the next start.
    if (batch.keys.erases()) (void)batch.write.Put(cf(kMeta), kErasurePositionMetaKey, BigEndian64(batch.position));

    rocksdb::WriteOptions write;
    write.sync = sync_;
    rocksdb::Status s = db_->Write(write, &batch.write);
    if (!s.ok()) {
      // Whatever RocksDB calls it, for the caller the disk said no.
      Status failure = FromRocks(s, "appending to the event log");
      return FailBatch(failure.IsIOError() ? failure : Status::IOError(failure.message()), outcomes);
    }
    {
      std::lock_guard lock(head_mu_);
      head_ = batch.position;
      head_hash_ = batch.hash;
    }
    committed = true;
    for (const auto& [stream, version] : batch.versions) versions_[stream] = version;
    vault_->Commit(batch.keys);
    return Status::Ok();
  } catch (const std::exception& e) {
    // A half-updated cache could let a stale version through: start over.
    versions_.clear();
    if (committed) return Status::Ok();
    return FailBatch(Status::IOError(std::string("appending to the event log failed: ") + e.what()),
                     outcomes);
  }
}

Status RocksEventLog::StageCommit(const Commit& commit, BatchState* batch, CommitOutcome* outcome) {
  if (commit.events.empty()) {
    outcome->status = Status::InvalidArgument("empty commit");
    return Status::Ok();
  }
  Status s = CheckDuplicate(commit, *batch, outcome);
  if (!s.ok() || outcome->duplicate) return s;
  s = CheckEventIds(commit, *batch, outcome);
  if (!s.ok() || !outcome->status.ok()) return s;
  s = CheckVersions(commit, batch, outcome);
  if (!s.ok() || !outcome->status.ok()) return s;
  s = EncodeCommit(commit, batch);
  if (s.code() == Status::Code::kInvalidArgument) {
    outcome->status = s;  // new text for an erased subject: refuse this commit only
    return Status::Ok();
  }
  if (!s.ok()) return s;
  s = StageBlobs(commit, &batch->blobs, &batch->write, &batch->keys);
  if (s.code() == Status::Code::kInvalidArgument) {
    outcome->status = s;  // an attachment without its bytes: refuse this commit only
    return Status::Ok();
  }
  if (!s.ok()) return s;
  WriteCommit(commit, batch, outcome);
  return Status::Ok();
}

// Envelopes at the positions the commit will get, personal text sealed under
// each subject's data key (or the erasure staged), before anything of the
// commit is written to the batch.
Status RocksEventLog::EncodeCommit(const Commit& commit, BatchState* batch) {
  batch->envelopes.resize(commit.events.size());
  std::uint64_t position = batch->position;
  for (std::size_t i = 0; i < commit.events.size(); ++i) {
    const EventToAppend& e = commit.events[i];
    TextSealer plain;
    TextSealer sealing;
    TextSealer* text = &plain;
    if (vault_->seals()) {
      std::string key_id = SubjectKeyId(e.event);
      if (IsErasure(e.event.payload)) {
        batch->keys.StageErasure(key_id);
      } else if (!key_id.empty()) {
        if (std::holds_alternative<domain::TicketCreated>(e.event.payload) && e.version == 1)
          batch->keys.MarkFresh(key_id);
        sealing = TextSealer(std::move(key_id), &batch->keys);
        text = &sealing;
      }
    }
    Status s = EncodeEnvelopeWith(e, ++position, *text, &batch->envelopes[i]);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// Idempotency: a commit whose first event id is known was written before
// (a retried request); report where its events are and write nothing.
Status RocksEventLog::CheckDuplicate(const Commit& commit, const BatchState& batch,
                                     CommitOutcome* outcome) const {
  if (commit.ids_are_new) return Status::Ok();
  std::uint64_t first = 0;
  Status s = FindEventIn(commit.events.front().event_id, batch, &first);
  if (s.IsNotFound()) return Status::Ok();
  if (!s.ok()) return s;
  std::uint64_t last = first;
  for (std::size_t i = 1; i < commit.events.size(); ++i) {
    std::uint64_t position = 0;
    s = FindEventIn(commit.events[i].event_id, batch, &position);
    if (s.IsNotFound()) continue;
    if (!s.ok()) return s;
    first = std::min(first, position);
    last = std::max(last, position);
  }
  outcome->duplicate = true;
  outcome->first_position = first;
  outcome->last_position = last;
  return Status::Ok();
}

// The event id index must stay a function: no id twice in a commit, and no
// later event of a commit reusing an id the log already has.
Status RocksEventLog::CheckEventIds(const Commit& commit, const BatchState& batch,
                                    CommitOutcome* outcome) const {
  if (commit.events.size() == 1) return Status::Ok();  // the first id was checked already
  std::unordered_set<domain::Id, domain::IdHash> seen;
  for (std::size_t i = 0; i < commit.events.size(); ++i) {
    const domain::Id& id = commit.events[i].event_id;
    if (!seen.insert(id).second) {
      outcome->status = Status::InvalidArgument("an event id appears twice in one commit");
      return Status::Ok();
    }
    if (i == 0 || commit.ids_are_new) continue;
    std::uint64_t position = 0;
    Status s = FindEventIn(id, batch, &position);
    if (s.ok()) {
      outcome->status = Status::InvalidArgument("event id " + id.ToString() + " is already in the log");
      return Status::Ok();
    }
    if (!s.IsNotFound()) return s;
  }
  return Status::Ok();
}

// Optimistic concurrency: per stream, the commit's first event continues the
// stream and the following ones are consecutive.
Status RocksEventLog::CheckVersions(const Commit& commit, BatchState* batch, CommitOutcome* outcome) {
  auto& local = batch->commit_versions;  // stream -> version after this commit
  local.clear();
  for (const EventToAppend& e : commit.events) {
    const StreamKey stream = StreamOf(e);
    auto it =
        std::find_if(local.begin(), local.end(), [&](const auto& entry) { return entry.first == stream; });
    std::int64_t current = 0;
    if (it != local.end()) {
      current = it->second;
    } else if (e.version >= 1) {
      Status s = CurrentVersion(stream, e.version - 1, *batch, &current);
      if (!s.ok()) return s;
    }
    if (e.version < 1 || e.version != current + 1) {
      outcome->status = Status::Conflict("stream " + e.event.stream_id.ToString() + " is not at version " +
                                         std::to_string(e.version - 1) + " (expected version mismatch)");
      return Status::Ok();
    }
    if (it != local.end()) {
      it->second = e.version;
    } else {
      local.emplace_back(stream, e.version);
    }
  }
  return Status::Ok();
}

void RocksEventLog::WriteCommit(const Commit& commit, BatchState* batch, CommitOutcome* outcome) {
  outcome->first_position = batch->position + 1;
  for (std::size_t i = 0; i < commit.events.size(); ++i) {
    const EventToAppend& e = commit.events[i];
    const std::uint64_t position = ++batch->position;
    std::string& envelope = batch->envelopes[i];
    batch->hash = ChainHash(batch->hash, envelope);
    batch->stored.set_envelope(std::move(envelope));
    batch->stored.set_hash(reinterpret_cast<const char*>(batch->hash.data()), batch->hash.size());
    batch->stored.SerializeToString(&batch->value);

    const std::string position_key = BigEndian64(position);
    char stream_key[kStreamVersionKeySize];
    EncodeStreamVersionKey(StreamOf(e), e.version, stream_key);
    // WriteBatch::Put only fails past its 4 GiB size limit, which the
    // reservation cap and the engine's batch size keep far away; Write
    // would then report it.
    (void)batch->write.Put(cf(kEvents), position_key, batch->value);
    (void)batch->write.Put(cf(kStreams), rocksdb::Slice(stream_key, sizeof stream_key), position_key);
    (void)batch->write.Put(cf(kEventIds), rocksdb::Slice(e.event_id.AsBytes().data(), 16), position_key);
    batch->ids[e.event_id] = position;
  }
  outcome->last_position = batch->position;
  for (const auto& [stream, version] : batch->commit_versions) batch->versions[stream] = version;
  batch->any_written = true;
}

Status RocksEventLog::CurrentVersion(const StreamKey& stream, std::int64_t expected, const BatchState& batch,
                                     std::int64_t* version) {
  if (auto it = batch.versions.find(stream); it != batch.versions.end()) {
    *version = it->second;
    return Status::Ok();
  }
  if (auto it = versions_.find(stream); it != versions_.end()) {
    *version = it->second;
    return Status::Ok();
  }
  bool matches = false;
  Status s = StreamHasVersion(StreamPrefix(stream), expected, &matches);
  if (!s.ok()) return s;
  *version = matches ? expected : -1;
  // What is on disk now; the batch's own changes are merged only once written.
  if (matches) versions_.emplace(stream, expected);
  return Status::Ok();
}

Status RocksEventLog::StreamHasVersion(const std::string& prefix, std::int64_t version, bool* matches) const {
  std::string value;
  rocksdb::ReadOptions read;
  // The next version must not exist, and (unless 0) this one must.
  rocksdb::Status s = db_->Get(read, cf(kStreams), StreamVersionKey(prefix, version + 1), &value);
  if (s.ok()) {
    *matches = false;
    return Status::Ok();
  }
  if (!s.IsNotFound()) return FromRocks(s, "reading a stream version");
  if (version == 0) {
    *matches = true;
    return Status::Ok();
  }
  s = db_->Get(read, cf(kStreams), StreamVersionKey(prefix, version), &value);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading a stream version");
  *matches = s.ok();
  return Status::Ok();
}

Status RocksEventLog::FindEventIn(const domain::Id& event_id, const BatchState& batch,
                                  std::uint64_t* position) const {
  if (auto it = batch.ids.find(event_id); it != batch.ids.end()) {
    *position = it->second;
    return Status::Ok();
  }
  return FindEvent(event_id, position);
}

// Evicts arbitrary entries (bucket order) down to 3/4 of the limit: one pass
// per quarter of the limit of new streams, so O(1) per append on average.
void RocksEventLog::TrimVersionCache() {
  if (versions_.size() < kMaxCachedStreams) return;
  auto it = versions_.begin();
  while (versions_.size() > kMaxCachedStreams / 4 * 3 && it != versions_.end()) it = versions_.erase(it);
}

}  // namespace ticketd::eventstore

// Appends (group commit) and reads of the RocksDB log.
#include "rocks_event_log.h"

#include <rocksdb/write_batch.h>

#include <unordered_map>

#include "keys.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {
namespace {

Status ParseStored(const rocksdb::Slice& key, const rocksdb::Slice& value, v1::StoredEvent* stored,
                   std::uint64_t* position) {
  if (!DecodeBigEndian64(key.ToStringView(), position))
    return Status::Corruption("log key is not a position");
  if (!stored->ParseFromArray(value.data(), static_cast<int>(value.size())) || stored->hash().size() != 32)
    return Status::Corruption("log record at position " + std::to_string(*position) + " does not parse");
  return Status::Ok();
}

Hash ToHash(const std::string& bytes) {
  Hash hash{};
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

}  // namespace

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

Status RocksEventLog::AppendBatch(std::span<const Commit> commits, std::vector<CommitOutcome>* outcomes) {
  outcomes->assign(commits.size(), CommitOutcome{});
  if (secondary_) {
    for (auto& outcome : *outcomes) outcome.status = Status::InvalidArgument("the log is open read-only");
    return Status::InvalidArgument("the log is open read-only");
  }
  std::uint64_t position;
  Hash hash;
  Head(&position, &hash);
  rocksdb::WriteBatch batch;
  std::unordered_map<std::string, std::int64_t> batch_versions;  // stream prefix -> version after this batch
  std::unordered_map<domain::Id, std::uint64_t, domain::IdHash> batch_ids;
  std::vector<std::size_t> written;
  v1::StoredEvent stored;
  std::string value;

  for (std::size_t i = 0; i < commits.size(); ++i) {
    const Commit& commit = commits[i];
    CommitOutcome& outcome = (*outcomes)[i];
    if (commit.events.empty()) {
      outcome.status = Status::InvalidArgument("empty commit");
      continue;
    }
    // Idempotency: a commit whose first event id is known was written before.
    std::uint64_t existing = 0;
    auto seen = batch_ids.find(commit.events.front().event_id);
    Status found = seen != batch_ids.end() ? (existing = seen->second, Status::Ok())
                                           : FindEvent(commit.events.front().event_id, &existing);
    if (found.ok()) {
      outcome.duplicate = true;
      outcome.first_position = existing;
      outcome.last_position = existing + commit.events.size() - 1;
      continue;
    }
    if (!found.IsNotFound()) return found;
    // Optimistic concurrency, per stream, counting earlier commits of this batch.
    std::unordered_map<std::string, std::int64_t> local;
    bool conflict = false;
    for (const EventToAppend& e : commit.events) {
      std::string prefix = StreamPrefix({e.event.tenant_id, e.event.stream_id});
      auto in_commit = local.find(prefix);
      bool matches;
      if (in_commit != local.end()) {
        matches = in_commit->second + 1 == e.version;
      } else if (auto in_batch = batch_versions.find(prefix); in_batch != batch_versions.end()) {
        matches = in_batch->second + 1 == e.version;
      } else {
        Status s = StreamHasVersion(prefix, e.version - 1, &matches);
        if (!s.ok()) return s;
        matches = matches && e.version >= 1;
      }
      if (!matches) {
        conflict = true;
        break;
      }
      local[prefix] = e.version;
    }
    if (conflict) {
      outcome.status = Status::Conflict("stream version changed (expected version mismatch)");
      continue;
    }
    outcome.first_position = position + 1;
    for (const EventToAppend& e : commit.events) {
      ++position;
      std::string envelope = EncodeEnvelope(e, position);
      hash = ChainHash(hash, envelope);
      stored.set_envelope(std::move(envelope));
      stored.set_hash(std::string(reinterpret_cast<const char*>(hash.data()), hash.size()));
      stored.SerializeToString(&value);
      std::string key = BigEndian64(position);
      batch.Put(cf(kEvents), key, value);
      batch.Put(cf(kStreams),
                StreamVersionKey(StreamPrefix({e.event.tenant_id, e.event.stream_id}), e.version), key);
      batch.Put(cf(kEventIds), e.event_id.AsBytes(), key);
      batch_ids[e.event_id] = position;
    }
    outcome.last_position = position;
    for (auto& [prefix, version] : local) batch_versions[prefix] = version;
    written.push_back(i);
  }
  if (written.empty()) return Status::Ok();
  rocksdb::WriteOptions write;
  write.sync = sync_;
  rocksdb::Status s = db_->Write(write, &batch);
  if (!s.ok()) {
    Status failure = FromRocks(s, "appending to the event log");
    for (std::size_t i : written) {
      (*outcomes)[i].status = failure;
      (*outcomes)[i].first_position = (*outcomes)[i].last_position = 0;
    }
    return failure;
  }
  std::lock_guard lock(head_mu_);
  head_ = position;
  head_hash_ = hash;
  return Status::Ok();
}

Status RocksEventLog::ReadStream(const StreamKey& stream, std::vector<RecordedEvent>* events) const {
  events->clear();
  const std::string prefix = StreamPrefix(stream);
  std::vector<std::string> positions;
  {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kStreams)));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
      positions.push_back(it->value().ToString());
    if (!it->status().ok()) return FromRocks(it->status(), "reading a stream");
  }
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  std::string value;
  v1::StoredEvent stored;
  for (const std::string& key : positions) {
    rocksdb::Status s = db_->Get(read, cf(kEvents), key, &value);
    if (!s.ok()) return FromRocks(s, "reading a stream's event");
    RecordedEvent recorded;
    std::uint64_t position;
    Status status = ParseStored(key, value, &stored, &position);
    if (status.ok()) status = DecodeEnvelope(stored.envelope(), &recorded);
    if (!status.ok()) return status;
    recorded.hash = ToHash(stored.hash());
    events->push_back(std::move(recorded));
  }
  return Status::Ok();
}

Status RocksEventLog::ReadAllRaw(std::uint64_t from,
                                 const std::function<bool(const RawRecord&)>& visit) const {
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(kEvents)));
  v1::StoredEvent stored;
  for (it->Seek(BigEndian64(from)); it->Valid(); it->Next()) {
    RawRecord record;
    Status s = ParseStored(it->key(), it->value(), &stored, &record.position);
    if (!s.ok()) return s;
    record.envelope = stored.envelope();
    record.hash = ToHash(stored.hash());
    if (!visit(record)) return Status::Ok();
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading the log");
  return Status::Ok();
}

Status RocksEventLog::ReadAll(std::uint64_t from,
                              const std::function<bool(const RecordedEvent&)>& visit) const {
  Status problem;
  Status s = ReadAllRaw(from, [&](const RawRecord& raw) {
    RecordedEvent recorded;
    problem = DecodeEnvelope(raw.envelope, &recorded);
    if (problem.ok() && recorded.position != raw.position)
      problem = Status::Corruption("record at position " + std::to_string(raw.position) +
                                   " names another position");
    if (!problem.ok()) {
      problem = Status::Corruption("position " + std::to_string(raw.position) + ": " + problem.message());
      return false;
    }
    recorded.hash = raw.hash;
    return visit(recorded);
  });
  return s.ok() ? problem : s;
}

std::uint64_t RocksEventLog::HeadPosition() const {
  std::lock_guard lock(head_mu_);
  return head_;
}

Hash RocksEventLog::HeadHash() const {
  std::lock_guard lock(head_mu_);
  return head_hash_;
}

void RocksEventLog::Head(std::uint64_t* position, Hash* hash) const {
  std::lock_guard lock(head_mu_);
  *position = head_;
  *hash = head_hash_;
}

std::int64_t RocksEventLog::StreamVersion(const StreamKey& stream) const {
  const std::string prefix = StreamPrefix(stream);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kStreams)));
  it->SeekForPrev(StreamVersionKey(prefix, INT64_MAX));
  std::uint64_t version = 0;
  if (!it->Valid() || !it->key().starts_with(prefix)) return 0;
  DecodeBigEndian64(it->key().ToStringView().substr(prefix.size()), &version);
  return static_cast<std::int64_t>(version);
}

Status RocksEventLog::FindEvent(const domain::Id& event_id, std::uint64_t* position) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kEventIds), event_id.AsBytes(), &value);
  if (s.IsNotFound()) return Status::NotFound("no such event");
  if (!s.ok()) return FromRocks(s, "looking up an event id");
  if (!DecodeBigEndian64(value, position)) return Status::Corruption("event id index entry is malformed");
  return Status::Ok();
}

Status RocksEventLog::GetMeta(std::string_view key, std::string* value) const {
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf(kMeta), rocksdb::Slice(key.data(), key.size()), value);
  if (s.IsNotFound()) return Status::NotFound(std::string(key));
  return FromRocks(s, "reading log metadata");
}

Status RocksEventLog::PutMeta(std::string_view key, std::string_view value) {
  if (secondary_) return Status::InvalidArgument("the log is open read-only");
  rocksdb::WriteOptions write;
  write.sync = true;
  return FromRocks(db_->Put(write, cf(kMeta), rocksdb::Slice(key.data(), key.size()),
                            rocksdb::Slice(value.data(), value.size())),
                   "writing log metadata");
}

}  // namespace ticketd::eventstore

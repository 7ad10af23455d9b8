// Reads of the RocksDB log; safe from any thread, also while AppendBatch
// runs (RocksDB gives each read a consistent view).
#include "rocks_event_log.h"

#include <exception>

#include "envelope_scan.h"
#include "keys.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {
namespace {

// Messages name the position: operators go looking for it (ticket-replay verify).
Status AtPosition(std::uint64_t position, std::string_view problem) {
  return Status::Corruption("position " + std::to_string(position) + ": " + std::string(problem));
}

Status ParseStored(const rocksdb::Slice& key, const rocksdb::Slice& value, v1::StoredEvent* stored,
                   std::uint64_t* position) {
  if (!DecodeBigEndian64(key.ToStringView(), position))
    return Status::Corruption("a log key is not a position (" + std::to_string(key.size()) + " bytes)");
  if (value.size() > (std::size_t{1} << 30) ||
      !stored->ParseFromArray(value.data(), static_cast<int>(value.size())) || stored->hash().size() != 32)
    return AtPosition(*position, "the stored record does not parse");
  return Status::Ok();
}

Hash ToHash(const std::string& bytes) {
  Hash hash{};
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

}  // namespace

Status RocksEventLog::ReadStream(const StreamKey& stream, std::vector<RecordedEvent>* out) const {
  out->clear();
  try {
    const std::string prefix = StreamPrefix(stream);
    const std::string end = StreamEndKey(prefix);
    std::vector<std::string> keys;  // positions, in version order
    {
      rocksdb::ReadOptions read;
      rocksdb::Slice upper(end);
      read.iterate_upper_bound = &upper;
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(kStreams)));
      for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next())
        keys.push_back(it->value().ToString());
      if (!it->status().ok()) return FromRocks(it->status(), "reading a stream");
    }
    if (keys.empty()) return Status::Ok();
    std::vector<RecordedEvent> events;  // moved to *out only when all are read
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    rocksdb::ReadOptions read;
    read.verify_checksums = true;
    db_->MultiGet(read, cf(kEvents), keys.size(), slices.data(), values.data(), statuses.data(),
                  /*sorted_input=*/false);
    v1::StoredEvent stored;
    events.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::uint64_t position = 0;
      if (statuses[i].IsNotFound() && DecodeBigEndian64(keys[i], &position))
        return AtPosition(position, "named by the stream index, but the log does not have it");
      if (!statuses[i].ok()) return FromRocks(statuses[i], "reading a stream's event");
      Status status = ParseStored(keys[i], values[i], &stored, &position);
      if (!status.ok()) return status;
      RecordedEvent recorded;
      status = DecodeEnvelope(stored.envelope(), &recorded, vault_.get());
      if (!status.ok()) return AtPosition(position, status.message());
      // Dense versions, and each record where the index says it is.
      if (recorded.position != position || recorded.event.tenant_id != stream.tenant_id ||
          recorded.event.stream_id != stream.stream_id ||
          recorded.version != static_cast<std::int64_t>(i + 1))
        return AtPosition(position, "the stream index does not match the record");
      recorded.hash = ToHash(stored.hash());
      events.push_back(std::move(recorded));
    }
    *out = std::move(events);
    return Status::Ok();
  } catch (const std::exception& e) {
    out->clear();
    return Status::IOError(std::string("reading a stream failed: ") + e.what());
  }
}

Status RocksEventLog::ReadAllRaw(std::uint64_t from,
                                 const std::function<bool(const RawRecord&)>& visit) const {
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;  // a full scan would only evict the hot blocks
  // Sequential scans (recovery, verify, export): read the SST files in large
  // chunks instead of one pread per 4 KiB block.
  read.readahead_size = 8 << 20;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(kEvents)));
  v1::StoredEvent stored;
  for (it->Seek(BigEndian64(from)); it->Valid(); it->Next()) {
    RawRecord record;
    Status s = ParseStored(it->key(), it->value(), &stored, &record.position);
    if (!s.ok()) return s;
    std::uint64_t named = 0;
    if (!EnvelopePosition(stored.envelope(), &named))
      return AtPosition(record.position, "envelope does not parse");
    if (named != record.position)
      return AtPosition(record.position, "the record names position " + std::to_string(named));
    record.envelope = stored.envelope();
    record.hash = ToHash(stored.hash());
    if (!visit(record)) return Status::Ok();
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading the log");
  return Status::Ok();
}

Status RocksEventLog::DecodeRecord(const RawRecord& raw, RecordedEvent* recorded) const {
  Status s = DecodeEnvelope(raw.envelope, recorded, vault_.get());  // ReadAllRaw checked the position
  if (!s.ok()) return AtPosition(raw.position, s.message());
  recorded->hash = raw.hash;
  return Status::Ok();
}

Status RocksEventLog::ReadAll(std::uint64_t from,
                              const std::function<bool(const RecordedEvent&)>& visit) const {
  Status problem;
  Status s = ReadAllRaw(from, [&](const RawRecord& raw) {
    RecordedEvent recorded;
    problem = DecodeRecord(raw, &recorded);
    return problem.ok() && visit(recorded);
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
  rocksdb::ReadOptions read;
  rocksdb::Slice lower(prefix);
  read.iterate_lower_bound = &lower;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, cf(kStreams)));
  it->SeekForPrev(StreamEndKey(prefix));
  std::uint64_t version = 0;
  if (!it->Valid() || !it->key().starts_with(prefix) ||
      !DecodeBigEndian64(it->key().ToStringView().substr(prefix.size()), &version) || version > INT64_MAX)
    return 0;
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

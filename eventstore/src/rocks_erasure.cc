// Erasure completion markers in the `meta` family (persistent format: never
// rename these keys):
//   erasure_position        BE64: the newest erasure's batch head, written in
//                           the same WriteBatch as its fence (rocks_append.cc)
//   erasure_purged_through  BE64: every erasure up to here is complete
// An erasure is unfinished while the first is ahead of the second.
#include "rocks_event_log.h"
#include "ticketd/eventstore/failpoint.h"

namespace ticketd::eventstore {
namespace {

Status ReadPosition(const EventLog& log, std::string_view key, std::uint64_t* position) {
  *position = 0;
  std::string value;
  Status s = log.GetMeta(key, &value);
  if (s.IsNotFound()) return Status::Ok();
  if (!s.ok()) return s;
  if (!DecodeBigEndian64(value, position)) return Status::Corruption("log metadata " + std::string(key) + " is malformed");
  return Status::Ok();
}

}  // namespace

Status RocksEventLog::UnpurgedErasure(std::uint64_t* position) const {
  std::uint64_t newest = 0, purged = 0;
  Status s = ReadPosition(*this, kErasurePositionMetaKey, &newest);
  if (s.ok()) s = ReadPosition(*this, kErasurePurgedMetaKey, &purged);
  *position = s.ok() && newest > purged ? newest : 0;
  return s;
}

Status RocksEventLog::PurgeErasedKeys() {
  if (secondary_) return Status::InvalidArgument("the log is open read-only");
  Status s = Failpoint("erasure.purge");
  if (!s.ok()) return s;
  std::vector<rocksdb::ColumnFamilyHandle*> families(handles_.begin(), handles_.end());
  s = vault_->Purge(families);
  if (!s.ok() || cf(kBlobs) == nullptr) return s;
  // Shredded attachments: their keys are gone already; this also reclaims
  // the space of their sealed bytes (blob garbage collection, forced).
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  compact.blob_garbage_collection_policy = rocksdb::BlobGarbageCollectionPolicy::kForce;
  compact.blob_garbage_collection_age_cutoff = 1.0;
  return FromRocks(db_->CompactRange(compact, cf(kBlobs), nullptr, nullptr), "reclaiming attachment space");
}

Status RocksEventLog::MarkErasuresPurged(std::uint64_t position) {
  std::uint64_t purged = 0;
  Status s = ReadPosition(*this, kErasurePurgedMetaKey, &purged);
  if (!s.ok() || purged >= position) return s;
  return PutMeta(kErasurePurgedMetaKey, BigEndian64(position));
}

}  // namespace ticketd::eventstore

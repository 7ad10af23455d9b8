// Batched and prefix-scanned metadata (event_log.h: WriteMeta, ScanMeta).
#include <rocksdb/write_batch.h>

#include "rocks_event_log.h"

namespace ticketd::eventstore {

Status RocksEventLog::WriteMeta(std::span<const MetaWrite> writes, MetaDurability durability) {
  if (secondary_) return Status::InvalidArgument("the log is open read-only");
  rocksdb::WriteBatch batch;
  for (const MetaWrite& w : writes) {
    rocksdb::Status s = w.value ? batch.Put(cf(kMeta), w.key, *w.value) : batch.Delete(cf(kMeta), w.key);
    if (!s.ok()) return FromRocks(s, "staging log metadata");
  }
  rocksdb::WriteOptions options;
  options.sync = durability == MetaDurability::kSynced;
  return FromRocks(db_->Write(options, &batch), "writing log metadata");
}

Status RocksEventLog::ScanMeta(std::string_view prefix,
                               const std::function<bool(std::string_view, std::string_view)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kMeta)));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (!key.starts_with(prefix)) break;
    if (!visit(key, std::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), "scanning log metadata");
}

}  // namespace ticketd::eventstore

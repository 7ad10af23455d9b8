#include "key_vault.h"

#include <rocksdb/options.h>

#include "rocks_event_log.h"
#include "ticketd/eventstore/failpoint.h"

namespace ticketd::eventstore {
namespace {

constexpr char kKeyTag = 'K';
constexpr char kFenceTag = 'E';
constexpr std::string_view kCheckMetaKey = "master_key_check";
constexpr std::string_view kCheckPlaintext = "ticketd master key check v1";

}  // namespace

KeyVault::KeyVault(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, std::optional<MasterKey> master)
    : db_(db), family_(family), master_(master) {}

Status KeyVault::CheckMasterKey(rocksdb::ColumnFamilyHandle* meta, bool writer) {
  std::string check;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), meta, std::string(kCheckMetaKey), &check);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading the master key check");
  if (s.IsNotFound()) {
    if (!writer || !seals()) return Status::Ok();
    std::string sealed;
    if (!SealGcmJoined(*master_, kCheckMetaKey, kCheckPlaintext, &sealed))
      return Status::IOError("sealing the master key check failed (OpenSSL)");
    rocksdb::WriteOptions write;
    write.sync = true;
    return FromRocks(db_->Put(write, meta, std::string(kCheckMetaKey), sealed), "writing the master key check");
  }
  if (!master_) {
    if (writer)
      return Status::InvalidArgument("this data dir holds encrypted personal data: ticketd needs its master key");
    return Status::Ok();  // a reader without the key shows sealed text as such
  }
  std::string plain;
  if (!OpenGcmJoined(*master_, kCheckMetaKey, check, &plain) || plain != kCheckPlaintext)
    return Status::InvalidArgument("the master key does not belong to this data dir");
  return Status::Ok();
}

// A miss loads the key from RocksDB and caches it. A reader can load a key
// just before an erasure's fence is written and reach the insert just after
// Commit() dropped that key from the cache: inserting then would bring the
// destroyed key back for every later reader. So Commit() bumps
// erasure_epoch_ (under cache_mu_, after the fence is durable), and a loaded
// key is cached only if the epoch is still the one seen before the load:
// either the load saw the fence, or no erasure committed since it began.
TextKeys::Found KeyVault::FindKey(std::string_view key_id, DataKey* key) const {
  if (!seals()) return Found::kUnknown;
  std::uint64_t epoch_before_load = 0;
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(std::string(key_id)); it != cache_.end()) {
      *key = it->second;
      return Found::kKey;
    }
    epoch_before_load = erasure_epoch_;
  }
  Found found = Load(key_id, key);
  if (found == Found::kKey) {
    (void)Failpoint("key_vault.loaded");
    std::lock_guard lock(cache_mu_);
    if (erasure_epoch_ != epoch_before_load) return found;  // this read only; the next one loads afresh
    if (cache_.size() >= kMaxCachedKeys) cache_.clear();
    cache_.emplace(key_id, *key);
  }
  return found;
}

TextKeys::Found KeyVault::Load(std::string_view key_id, DataKey* key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, rocksdb::Slice(key_id.data(), key_id.size()), &value);
  if (!s.ok() || value.empty()) return Found::kUnknown;
  if (value[0] == kFenceTag) return Found::kErased;
  std::string plain;
  const std::string_view v(value);
  if (value[0] != kKeyTag || !OpenGcmJoined(*master_, key_id, v.substr(1), &plain) || plain.size() != key->size())
    return Found::kUnknown;  // unreadable: its texts show as sealed
  std::copy(plain.begin(), plain.end(), key->begin());
  return Found::kKey;
}

std::string KeyVault::Wrap(std::string_view key_id, const DataKey& key) const {
  const std::string_view plain(reinterpret_cast<const char*>(key.data()), key.size());
  std::string wrapped(1, kKeyTag);
  if (!SealGcmJoined(*master_, key_id, plain, &wrapped)) return std::string();
  return wrapped;
}

Status KeyVault::Batch::KeyFor(std::string_view key_id, DataKey* key, bool* erased) {
  *erased = false;
  const std::string id(key_id);
  if (auto it = staged_.find(id); it != staged_.end()) {
    *erased = !it->second.has_value();
    if (it->second) *key = *it->second;
    return Status::Ok();
  }
  if (!fresh_.contains(id)) {
    switch (vault_->FindKey(id, key)) {
      case Found::kKey:
        return Status::Ok();
      case Found::kErased:
        *erased = true;
        return Status::Ok();
      case Found::kUnknown:
        break;  // a subject from before encryption, or a new one: make its key
    }
  }
  if (!RandomBytes(*key)) return Status::IOError("the system has no randomness for a data key");
  const std::string wrapped = vault_->Wrap(id, *key);
  if (wrapped.empty()) return Status::IOError("wrapping a data key failed (OpenSSL)");
  (void)write_->Put(vault_->family_, id, wrapped);  // fails only past 4 GiB (see rocks_append.cc)
  staged_[id] = *key;
  return Status::Ok();
}

void KeyVault::Batch::StageErasure(std::string_view key_id) {
  const std::string id(key_id);
  (void)write_->Put(vault_->family_, id, std::string(1, kFenceTag));
  staged_[id] = std::nullopt;
  erases_ = true;
}

Status KeyVault::Batch::NewKey(std::string_view key_id, DataKey* key) {
  if (!RandomBytes(*key)) return Status::IOError("the system has no randomness for a data key");
  return AdoptKey(key_id, *key);
}

Status KeyVault::Batch::AdoptKey(std::string_view key_id, const DataKey& key) {
  const std::string id(key_id);
  const std::string wrapped = vault_->Wrap(id, key);
  if (wrapped.empty()) return Status::IOError("wrapping a data key failed (OpenSSL)");
  (void)write_->Put(vault_->family_, id, wrapped);
  staged_[id] = key;
  return Status::Ok();
}

void KeyVault::Batch::StageDestroy(std::string_view key_id) {
  const std::string id(key_id);
  (void)write_->Delete(vault_->family_, id);
  staged_[id] = std::nullopt;
  erases_ = true;
}

void KeyVault::Commit(const Batch& batch) {
  // New keys are not cached here: most tickets never need theirs again on
  // the write path (status changes carry no text), and one map insert per
  // created ticket shows in the create benchmark. The first read loads it.
  if (!batch.erases_) return;
  std::lock_guard lock(cache_mu_);
  ++erasure_epoch_;  // loads that began before this erasure must not cache (see FindKey)
  for (const auto& [id, key] : batch.staged_)
    if (!key) cache_.erase(id);
}

Status KeyVault::Purge(const std::vector<rocksdb::ColumnFamilyHandle*>& families) {
  // Every family, not only ours: the WAL file holding the key is deleted
  // only once nothing in it is left unflushed.
  rocksdb::FlushOptions flush;
  flush.wait = true;
  flush.allow_write_stall = true;
  rocksdb::Status s = db_->Flush(flush, families);
  if (!s.ok()) return FromRocks(s, "flushing after an erasure");
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  compact.exclusive_manual_compaction = false;
  s = db_->CompactRange(compact, family_, nullptr, nullptr);
  return FromRocks(s, "compacting the key vault after an erasure");
}

}  // namespace ticketd::eventstore

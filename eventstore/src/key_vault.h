// KeyVault: the data keys of crypto-shredding, in the log's `subject_keys`
// column family (see subject_keys.h).
//
//   key   = key id ("ticket:<uuid>", "user:<uuid>")
//   value = 'K' nonce(12) wrapped-key(32 + 16 tag)  AES-256-GCM under the
//           master key, AAD = key id
//         | 'E'                                     erasure fence: the key was
//           destroyed and may never be made again
//
// Keys and fences are written in the same WriteBatch as the events that need
// them, so a key exists exactly when its first sealed event does and an
// erasure event and its fence commit together. Purge() then makes the
// destroyed key physically gone: memtables flushed (the WAL that held it is
// deleted), the key range compacted (no SST keeps the old version).
//
// Threading: Stage*/Commit/Purge on the writer thread only; FindKey from any
// thread (its cache has its own mutex).
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "personal_text.h"
#include "ticketd/eventstore/subject_keys.h"

namespace ticketd::eventstore {

class KeyVault final : public TextKeys {
 public:
  // `family` may be null (a read-only instance of an older data dir without
  // the family): then there are no keys. No master key: reads find no keys
  // and the writer stores plain text.
  KeyVault(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, std::optional<MasterKey> master);

  bool seals() const { return master_.has_value() && family_ != nullptr; }

  // Checks the master key against the check value in `meta` (written on first
  // use). InvalidArgument when the data dir was sealed under another key, or
  // when it holds sealed data and no master key was given to a writer.
  Status CheckMasterKey(rocksdb::ColumnFamilyHandle* meta, bool writer);

  Found FindKey(std::string_view key_id, DataKey* key) const override;

  // One WriteBatch's key changes, staged until the batch is written.
  class Batch final : public SealingKeys {
   public:
    Batch(KeyVault* vault, rocksdb::WriteBatch* write) : vault_(vault), write_(write) {}
    Status KeyFor(std::string_view key_id, DataKey* key, bool* erased) override;
    // `fresh`: the subject has no events yet, so it has no key and no fence
    // (spares the lookup for every new ticket and user).
    void MarkFresh(std::string_view key_id) { fresh_.emplace(key_id); }
    void StageErasure(std::string_view key_id);
    // A new random key for `key_id`, replacing any (no fence): attachment
    // bytes uploaded again after they were shredded get a fresh key.
    Status NewKey(std::string_view key_id, DataKey* key);
    // Stores `key`, made elsewhere, as `key_id`'s (no fence): a streamed
    // upload's chunks were sealed under it before their commit.
    Status AdoptKey(std::string_view key_id, const DataKey& key);
    // Destroys the key without a fence, purged like an erasure.
    void StageDestroy(std::string_view key_id);
    // The vault's family: attachment bytes read their key through FindKey.
    bool erases() const { return erases_; }

   private:
    friend class KeyVault;
    KeyVault* vault_;
    rocksdb::WriteBatch* write_;
    std::unordered_map<std::string, std::optional<DataKey>> staged_;  // nullopt: erased in this batch
    std::unordered_set<std::string> fresh_;
    bool erases_ = false;
  };
  // After the batch is durable: erased keys leave the cache.
  void Commit(const Batch& batch);
  // After a batch with erasures is durable: flush and compact so that no file
  // of the data dir holds the destroyed keys any more.
  // `families`: every column family of the log.
  Status Purge(const std::vector<rocksdb::ColumnFamilyHandle*>& families);

 private:
  Found Load(std::string_view key_id, DataKey* key) const;
  std::string Wrap(std::string_view key_id, const DataKey& key) const;

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  std::optional<MasterKey> master_;

  // Unwrapped keys of recently used subjects. Bounded: cleared when full
  // (a miss costs one point lookup and one unwrap).
  static constexpr std::size_t kMaxCachedKeys = 1 << 16;
  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, DataKey> cache_;
  std::uint64_t erasure_epoch_ = 0;  // guarded by cache_mu_; bumped by every Commit() that erases
};

}  // namespace ticketd::eventstore

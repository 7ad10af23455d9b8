// Attachment bytes in the log (issue 13; keys in blob_batch.h). They are
// staged in the same WriteBatch as the attachment.added event that names
// them, so an acknowledged upload survives kill -9 and every checkpoint
// (backup) holds exactly the bytes its events reference.
//
// Crypto-shredding with deduplication: the bytes of (tenant, sha256) are
// sealed once under their own data key. Every ticket that attaches them adds
// a reference; a hard delete or an erasure of a ticket removes its
// references, and when the last one goes the data key is destroyed in the
// same write (and purged from disk like an erased ticket's key) and the
// sealed bytes are deleted (blob garbage collection reclaims their space).
// Bytes another living ticket references keep their key: they stay readable
// for that ticket, and the erased ticket's filename (sealed under the
// ticket's own key) is gone either way.
#include <rocksdb/write_batch.h>

#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "aes_gcm.h"
#include "blob_batch.h"
#include "rocks_event_log.h"

namespace ticketd::eventstore {
namespace {

bool IsSha256Hex(std::string_view text) {
  if (text.size() != kSha256HexSize) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

namespace {

class BlobStager {
 public:
  BlobStager(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, bool seals, BlobBatch& blobs,
             rocksdb::WriteBatch& write, KeyVault::Batch& keys)
      : db_(db), family_(family), seals_(seals), blobs_(blobs), write_(write), keys_(keys) {}

  Status Attach(const domain::Id& tenant, const domain::Id& ticket, const domain::AttachmentAdded& added,
                const Commit& commit) {
    if (!IsSha256Hex(added.sha256)) return Status::InvalidArgument("an attachment's sha256 is not lowercase hex");
    bool stored = false;
    if (Status s = Stored(tenant, added.sha256, &stored); !s.ok()) return s;
    if (!stored) {
      const BlobToStore* blob = BytesOf(tenant, added, commit);
      if (blob == nullptr) return MissingBytes();
      Status s = blob->bytes ? StoreBytes(tenant, added, *blob->bytes) : AdoptStaged(tenant, added, blob->staged);
      if (!s.ok()) return s;
    }
    Put(BlobRefKey(tenant, added.sha256, ticket));
    Put(TicketBlobPrefix(tenant, ticket) + added.sha256);
    return Status::Ok();
  }

  // Read-only, before the commit writes anything to the batch: every
  // attachment.added whose bytes are not stored carries them. An upload
  // that found its bytes stored sends none (attachment_stream.cc); if they
  // were shredded since, the whole commit is refused here, so no part of it
  // lands (the caller answers 503 and the client retries).
  Status CheckBytes(const Commit& commit) {
    for (const EventToAppend& e : commit.events) {
      const auto* added = std::get_if<domain::AttachmentAdded>(&e.event.payload);
      if (added == nullptr || !IsSha256Hex(added->sha256)) continue;  // Attach names a bad hash
      bool stored = false;
      if (Status s = Stored(e.event.tenant_id, added->sha256, &stored); !s.ok()) return s;
      if (!stored && BytesOf(e.event.tenant_id, *added, commit) == nullptr) return MissingBytes();
    }
    return Status::Ok();
  }

  // The ticket is deleted or erased: its references go, and bytes nobody
  // else references are shredded.
  Status Release(const domain::Id& tenant, const domain::Id& ticket) {
    std::vector<std::string> shas;
    const std::string prefix = TicketBlobPrefix(tenant, ticket);
    if (Status s = Scan(prefix, [&](std::string_view key) { shas.emplace_back(key.substr(prefix.size())); });
        !s.ok())
      return s;
    for (const std::string& sha : shas) {
      Delete(prefix + sha);
      Delete(BlobRefKey(tenant, sha, ticket));
      bool referenced = false;
      if (Status s = Scan(BlobKey('R', tenant, sha), [&](std::string_view) { referenced = true; }); !s.ok()) return s;
      if (referenced) continue;
      if (Status s = DropStagedChunksOf(tenant, sha); !s.ok()) return s;
      (void)write_.Delete(family_, BlobKey('D', tenant, sha));
      (void)write_.Delete(family_, BlobKey('M', tenant, sha));
      blobs_.stored[BlobKey('M', tenant, sha)] = false;
      if (seals_) keys_.StageDestroy(BlobKeyId(tenant, sha));
    }
    return Status::Ok();
  }

  Status Stored(const domain::Id& tenant, std::string_view sha, bool* stored) {
    const std::string key = BlobKey('M', tenant, sha);
    if (auto it = blobs_.stored.find(key); it != blobs_.stored.end()) {
      *stored = it->second;
      return Status::Ok();
    }
    // CheckBytes and Attach both ask about each attachment: one read.
    if (auto it = read_.find(key); it != read_.end()) {
      *stored = it->second;
      return Status::Ok();
    }
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, key, &value);
    if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading the attachment index");
    *stored = s.ok();
    read_.emplace(key, *stored);
    return Status::Ok();
  }

  // The commit's staged files it did not adopt (their bytes were stored
  // already, by an earlier commit or another file of this one): dropped in
  // the same write.
  void DropUnadopted(const Commit& commit) {
    for (const BlobToStore& blob : commit.blobs) {
      if (blob.staged.empty()) continue;
      std::optional<StagedBlob> staged = StagedBlob::Decode(blob.staged);
      if (!staged || adopted_.contains(staged->id)) continue;
      (void)write_.DeleteRange(family_, StagedChunkPrefix(staged->id), StagedChunkLimit(staged->id));
      (void)write_.Delete(family_, StagedPendingKey(staged->id));
    }
  }

 private:
  static Status MissingBytes() { return Status::InvalidArgument("an attachment's bytes are missing from its commit"); }

  static const BlobToStore* BytesOf(const domain::Id& tenant, const domain::AttachmentAdded& added,
                                    const Commit& commit) {
    const BlobToStore* blob = nullptr;
    for (const BlobToStore& candidate : commit.blobs) {
      if (candidate.tenant_id == tenant && candidate.sha256 == added.sha256 &&
          (candidate.bytes || !candidate.staged.empty()))
        blob = &candidate;
    }
    return blob;
  }

  Status StoreBytes(const domain::Id& tenant, const domain::AttachmentAdded& added, const std::string& bytes) {
    if (static_cast<std::int64_t>(bytes.size()) != added.size)
      return Status::InvalidArgument("an attachment's bytes do not have its size");
    return Store(tenant, added.sha256, bytes);
  }

  // A streamed upload: the chunks become the blob's bytes (a pointer record),
  // their key the blob's key, and the staging is no longer pending.
  Status AdoptStaged(const domain::Id& tenant, const domain::AttachmentAdded& added, std::string_view encoded) {
    std::optional<StagedBlob> staged = StagedBlob::Decode(encoded);
    if (!staged || staged->size != added.size || adopted_.contains(staged->id))
      return Status::InvalidArgument("an attachment's staged bytes do not match it");
    if (seals_) {
      if (staged->key.size() != sizeof(DataKey)) return Status::InvalidArgument("a staged attachment has no key");
      DataKey key{};
      std::copy(staged->key.begin(), staged->key.end(), key.begin());
      if (Status s = keys_.AdoptKey(BlobKeyId(tenant, added.sha256), key); !s.ok()) return s;
    } else if (!staged->key.empty()) {
      return Status::InvalidArgument("a staged attachment is sealed but the log does not seal");
    }
    std::string pointer(1, 'C');
    pointer += staged->id;
    for (int shift = 24; shift >= 0; shift -= 8) pointer.push_back(static_cast<char>((staged->chunks >> shift) & 0xff));
    (void)write_.Put(family_, BlobKey('D', tenant, added.sha256), pointer);
    (void)write_.Put(family_, BlobKey('M', tenant, added.sha256), BigEndian64(static_cast<std::uint64_t>(added.size)));
    (void)write_.Delete(family_, StagedPendingKey(staged->id));
    blobs_.stored[BlobKey('M', tenant, added.sha256)] = true;
    adopted_.insert(staged->id);
    return Status::Ok();
  }

  // Shredding a streamed blob deletes its chunks too (their key goes with
  // the blob's, so they are unreadable either way; this reclaims the space).
  Status DropStagedChunksOf(const domain::Id& tenant, std::string_view sha) {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_, BlobKey('D', tenant, sha), &value);
    if (s.IsNotFound()) return Status::Ok();  // stored by this batch: not streamed, or adopted just now
    if (!s.ok()) return FromRocks(s, "reading the attachment index");
    if (value.size() < 17 || value[0] != 'C') return Status::Ok();
    const std::string id = value.substr(1, 16);
    (void)write_.DeleteRange(family_, StagedChunkPrefix(id), StagedChunkLimit(id));
    return Status::Ok();
  }

  Status Store(const domain::Id& tenant, std::string_view sha, const std::string& bytes) {
    std::string value;
    if (seals_) {
      const std::string key_id = BlobKeyId(tenant, sha);
      DataKey key{};
      if (Status s = keys_.NewKey(key_id, &key); !s.ok()) return s;
      value.push_back('S');
      if (!SealGcmJoined(key, key_id, bytes, &value)) return Status::IOError("sealing an attachment failed");
    } else {
      value.reserve(1 + bytes.size());
      value.push_back('P');
      value += bytes;
    }
    (void)write_.Put(family_, BlobKey('D', tenant, sha), value);
    (void)write_.Put(family_, BlobKey('M', tenant, sha), BigEndian64(bytes.size()));
    blobs_.stored[BlobKey('M', tenant, sha)] = true;
    return Status::Ok();
  }

  void Put(const std::string& key) {
    (void)write_.Put(family_, key, "");
    blobs_.removed.erase(key);
    blobs_.added.insert(key);
  }
  void Delete(const std::string& key) {
    (void)write_.Delete(family_, key);
    blobs_.added.erase(key);
    blobs_.removed.insert(key);
  }

  // Every key with `prefix` as this batch leaves it (RocksDB plus overlay).
  template <class Visit>
  Status Scan(const std::string& prefix, Visit visit) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      std::string key = it->key().ToString();
      if (!blobs_.removed.contains(key) && !blobs_.added.contains(key)) visit(std::string_view(key));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "reading the attachment index");
    for (const std::string& key : blobs_.added) {
      if (StartsWith(key, prefix)) visit(std::string_view(key));
    }
    return Status::Ok();
  }

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  bool seals_;
  BlobBatch& blobs_;
  rocksdb::WriteBatch& write_;
  KeyVault::Batch& keys_;
  std::unordered_set<std::string> adopted_;  // staging ids this commit adopted
  // 'M' keys as RocksDB had them before this commit (its own changes are in
  // blobs_.stored, which is asked first).
  std::unordered_map<std::string, bool> read_;
};

}  // namespace

Status RocksEventLog::StageBlobs(const Commit& commit, BlobBatch* blobs, rocksdb::WriteBatch* write,
                                 KeyVault::Batch* keys) {
  if (cf(kBlobs) == nullptr) return Status::Ok();
  BlobStager stager(db_, cf(kBlobs), vault_->seals(), *blobs, *write, *keys);
  if (Status s = stager.CheckBytes(commit); !s.ok()) return s;
  for (const EventToAppend& e : commit.events) {
    const domain::DomainEvent& event = e.event;
    Status s;
    if (const auto* added = std::get_if<domain::AttachmentAdded>(&event.payload)) {
      s = stager.Attach(event.tenant_id, event.stream_id, *added, commit);
    } else if (std::holds_alternative<domain::TicketDeleted>(event.payload) ||
               std::holds_alternative<domain::TicketErased>(event.payload)) {
      s = stager.Release(event.tenant_id, event.stream_id);
    }
    if (!s.ok()) return s;
  }
  stager.DropUnadopted(commit);
  return Status::Ok();
}

Status RocksEventLog::BlobStored(const domain::Id& tenant_id, std::string_view sha256, bool* stored) const {
  *stored = false;
  if (secondary_ || cf(kBlobs) == nullptr || !IsSha256Hex(sha256)) return Status::Ok();
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kBlobs), BlobKey('M', tenant_id, sha256), &value);
  if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading the attachment index");
  *stored = s.ok();
  return Status::Ok();
}

Status RocksEventLog::GetBlobValue(const std::string& key, std::string* value) const {
  if (secondary_) return BlobReaderGet(key, value);
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(kBlobs), key, value);
  if (s.IsNotFound()) return Status::NotFound("the attachment's bytes are gone");
  return s.ok() ? Status::Ok() : FromRocks(s, "reading an attachment");
}

Status RocksEventLog::BlobReaderGet(const std::string& key, std::string* value) const {
  std::lock_guard lock(blob_reader_mu_);
  if (!blob_reader_) {
    rocksdb::Options options;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    families.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    families.emplace_back("blobs", rocksdb::ColumnFamilyOptions());
    rocksdb::DB* db = nullptr;
    blob_reader_handles_.clear();
    rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, path_, families, &blob_reader_handles_, &db);
    if (!s.ok()) return FromRocks(s, "opening the attachment store read-only");
    blob_reader_.reset(db);
  }
  rocksdb::Status s = blob_reader_->Get(rocksdb::ReadOptions(), blob_reader_handles_[1], key, value);
  if (s.IsNotFound()) return Status::NotFound("the attachment's bytes are gone");
  return s.ok() ? Status::Ok() : FromRocks(s, "reading an attachment");
}

Status RocksEventLog::ReadBlob(const domain::Id& tenant_id, std::string_view sha256, std::string* bytes) const {
  if (cf(kBlobs) == nullptr || !IsSha256Hex(sha256)) return Status::NotFound("no such attachment bytes");
  std::string value;
  if (Status read = GetBlobValue(BlobKey('D', tenant_id, sha256), &value); !read.ok()) return read;
  if (value.empty()) return Status::NotFound("the attachment's bytes are gone");
  const std::string_view v(value);
  if (v[0] == 'C') return ReadStagedBlob(tenant_id, sha256, v, bytes);
  if (v[0] == 'P') {
    bytes->assign(v.substr(1));
    return Status::Ok();
  }
  const std::string key_id = BlobKeyId(tenant_id, sha256);
  DataKey key{};
  if (v[0] != 'S' || v.size() < 1 + kGcmNonceBytes) return Status::Corruption("an attachment record is malformed");
  if (vault_->FindKey(key_id, &key) != TextKeys::Found::kKey) return Status::NotFound("the attachment's key is destroyed");
  if (!OpenGcmJoined(key, key_id, v.substr(1), bytes))
    return Status::Corruption("an attachment does not open under its key");
  return Status::Ok();
}

}  // namespace ticketd::eventstore

// Streamed attachment bytes (blob_staging.h): chunks sealed and written by a
// worker as an upload arrives, adopted by the commit of their event
// (rocks_blobs.cc), dropped when abandoned, swept when the log opens.
#include "ticketd/eventstore/blob_staging.h"

#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include <cstdio>
#include <filesystem>

#include "aes_gcm.h"
#include "blob_batch.h"
#include "keys.h"
#include "rocks_event_log.h"
#include "ticketd/base/encoding.h"
#include "ticketd/eventstore/failpoint.h"

namespace ticketd::eventstore {
namespace {

constexpr std::size_t kStagingIdBytes = 16;

void AppendBigEndian32(std::string* out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((value >> shift) & 0xff));
}
std::uint32_t BigEndian32At(std::string_view bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

// The chunks go into an SST file of their own (staging dir), written and
// synced by the upload's worker, which Finish() ingests into the `blobs`
// family: the bytes never pass through the WAL or a memtable, so they
// neither lengthen the writer's fsyncs nor fill memtables whose flush
// backlog stops every write of the database (RocksDB's write stall is
// per DB, not per family).
class RocksBlobStaging final : public BlobStaging {
 public:
  RocksBlobStaging(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, std::string file, std::string id,
                   std::string key)
      : db_(db), family_(family), file_(std::move(file)) {
    staged_.id = std::move(id);
    staged_.key = std::move(key);
    std::copy(staged_.key.begin(), staged_.key.end(), key_.begin());
  }
  ~RocksBlobStaging() override {
    writer_.reset();
    if (!finished_) std::remove(file_.c_str());  // never ingested: nothing in RocksDB
  }

  // Each piece is sealed straight into the value of the chunk it belongs to
  // (no plaintext buffer, no copy of the sealed bytes into the value).
  Status Append(std::string_view bytes) override {
    while (!bytes.empty()) {
      if (value_.empty()) {
        if (Status s = BeginChunk(); !s.ok()) return s;
      }
      const std::string_view piece = bytes.substr(0, kChunkBytes - chunk_bytes_);
      if (staged_.key.empty()) {
        value_.append(piece);
      } else if (!sealer_.Update(piece, &value_)) {
        return Status::IOError("sealing an attachment chunk failed");
      }
      chunk_bytes_ += piece.size();
      bytes.remove_prefix(piece.size());
      if (chunk_bytes_ == kChunkBytes) {
        if (Status s = WriteChunk(); !s.ok()) return s;
      }
    }
    return Status::Ok();
  }

  Status Seal() override {
    if (sealed_) return Status::Ok();
    if (value_.empty() && staged_.chunks == 0) {  // an empty file: one empty chunk
      if (Status s = BeginChunk(); !s.ok()) return s;
    }
    if (!value_.empty()) {
      if (Status s = WriteChunk(); !s.ok()) return s;
    }
    rocksdb::Status s = writer_->Finish();  // syncs the file
    writer_.reset();
    if (!s.ok()) return FromRocks(s, "writing an attachment's staging file");
    sealed_ = true;
    return Status::Ok();
  }

  Status Finish(StagedBlob* staged) override {
    std::vector<StagedBlob> one;
    if (Status s = FinishStagings({this}, &one); !s.ok()) return s;
    *staged = std::move(one.front());
    return Status::Ok();
  }

  // The files are synced (Seal), the pending markers written (WAL), then
  // the files ingested: from here the chunks are in the log's files and the
  // markers' sweep removes them unless a commit adopts them.
  static Status IngestAll(const std::vector<RocksBlobStaging*>& stagings) {
    if (stagings.empty()) return Status::Ok();
    rocksdb::DB* db = stagings.front()->db_;
    rocksdb::ColumnFamilyHandle* family = stagings.front()->family_;
    rocksdb::WriteBatch markers;
    std::vector<std::string> files;
    for (RocksBlobStaging* staging : stagings) {
      if (Status s = staging->Seal(); !s.ok()) return s;
      (void)markers.Put(family, StagedPendingKey(staging->staged_.id), "");
      files.push_back(staging->file_);
    }
    if (Status failed = Failpoint("blob_staging.written"); !failed.ok()) return failed;
    rocksdb::Status s = db->Write(rocksdb::WriteOptions(), &markers);
    if (!s.ok()) return FromRocks(s, "staging an attachment");
    rocksdb::IngestExternalFileOptions ingest;
    ingest.move_files = true;            // a hard link: the bytes are written once
    ingest.write_global_seqno = false;   // the MANIFEST holds it; the file stays as synced
    s = db->IngestExternalFile(family, files, ingest);
    for (const std::string& file : files) std::remove(file.c_str());  // the DB's links remain (or its copies)
    if (!s.ok()) {
      for (RocksBlobStaging* staging : stagings) (void)DropStagedChunks(db, family, staging->staged_.id);
      return FromRocks(s, "ingesting an upload's staging files");
    }
    for (RocksBlobStaging* staging : stagings) staging->finished_ = true;
    return Failpoint("blob_staging.ingested");
  }

  const StagedBlob& staged() const { return staged_; }

 private:
  // The value of chunk n: 'P' and the bytes, or 'S', a nonce and the
  // AES-256-GCM sealed bytes with their tag (under the staging's key, bound
  // to the chunk's key by the AAD).
  Status BeginChunk() {
    value_.reserve(1 + kGcmNonceBytes + kChunkBytes + kGcmTagBytes);
    if (staged_.key.empty()) {
      value_.push_back('P');
      return Status::Ok();
    }
    value_.push_back('S');
    if (!sealer_.Begin(key_, StagedChunkAad(staged_.id, staged_.chunks), &value_))
      return Status::IOError("sealing an attachment chunk failed");
    return Status::Ok();
  }

  Status WriteChunk() {
    if (!writer_) {
      rocksdb::Options options = db_->GetOptions(family_);
      writer_ = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(), options, family_);
      if (rocksdb::Status s = writer_->Open(file_); !s.ok()) return FromRocks(s, "creating a staging file");
    }
    if (!staged_.key.empty() && !sealer_.End(&value_)) return Status::IOError("sealing an attachment chunk failed");
    rocksdb::Status s = writer_->Put(StagedChunkKey(staged_.id, staged_.chunks), value_);
    if (!s.ok()) return FromRocks(s, "staging an attachment chunk");
    staged_.size += static_cast<std::int64_t>(chunk_bytes_);
    staged_.chunks += 1;
    chunk_bytes_ = 0;
    value_.clear();
    return Status::Ok();
  }

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  std::string file_;
  std::unique_ptr<rocksdb::SstFileWriter> writer_;
  StagedBlob staged_;
  SecretKey key_{};       // staged_.key's bytes
  GcmSealer sealer_;
  std::string value_;     // the chunk being sealed; empty between chunks
  std::size_t chunk_bytes_ = 0;  // plaintext bytes in it
  bool sealed_ = false;    // the file is complete and synced
  bool finished_ = false;  // ingested
};

}  // namespace

Status FinishStagings(const std::vector<BlobStaging*>& stagings, std::vector<StagedBlob>* staged) {
  // Every BlobStaging is the log's own (RocksEventLog::StageBlob).
  std::vector<RocksBlobStaging*> rocks;
  rocks.reserve(stagings.size());
  for (BlobStaging* staging : stagings) rocks.push_back(static_cast<RocksBlobStaging*>(staging));
  if (Status s = RocksBlobStaging::IngestAll(rocks); !s.ok()) return s;
  staged->clear();
  for (const RocksBlobStaging* staging : rocks) staged->push_back(staging->staged());
  return Status::Ok();
}

std::string StagedBlob::Encode() const {
  std::string out = id;
  out.push_back(static_cast<char>(key.size()));
  out += key;
  AppendBigEndian64(&out, static_cast<std::uint64_t>(size));
  AppendBigEndian32(&out, chunks);
  return out;
}

std::optional<StagedBlob> StagedBlob::Decode(std::string_view text) {
  if (text.size() < kStagingIdBytes + 1) return std::nullopt;
  StagedBlob staged;
  staged.id = std::string(text.substr(0, kStagingIdBytes));
  const std::size_t key_size = static_cast<std::uint8_t>(text[kStagingIdBytes]);
  text.remove_prefix(kStagingIdBytes + 1);
  if ((key_size != 0 && key_size != sizeof(SecretKey)) || text.size() != key_size + 12) return std::nullopt;
  staged.key = std::string(text.substr(0, key_size));
  std::uint64_t size = 0;
  if (!DecodeBigEndian64(text.substr(key_size, 8), &size)) return std::nullopt;
  staged.size = static_cast<std::int64_t>(size);
  staged.chunks = BigEndian32At(text.substr(key_size + 8));
  return staged;
}

Status DropStagedChunks(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, std::string_view staging_id) {
  rocksdb::WriteBatch write;
  (void)write.DeleteRange(family, StagedChunkPrefix(staging_id), StagedChunkLimit(staging_id));
  (void)write.Delete(family, StagedPendingKey(staging_id));
  rocksdb::Status s = db->Write(rocksdb::WriteOptions(), &write);
  return s.ok() ? Status::Ok() : FromRocks(s, "dropping staged attachment chunks");
}

Status RocksEventLog::StageBlob(std::unique_ptr<BlobStaging>* staging) {
  if (secondary_ || cf(kBlobs) == nullptr) return Status::InvalidArgument("the event log is read-only");
  std::string id(kStagingIdBytes, '\0');
  SecretKey key{};
  if (!RandomBytes(std::span(reinterpret_cast<std::uint8_t*>(id.data()), id.size())) ||
      (vault_->seals() && !RandomBytes(key)))
    return Status::IOError("the system has no randomness for a staging key");
  std::string key_bytes = vault_->seals() ? std::string(key.begin(), key.end()) : std::string();
  std::string file = StagingDir() + "/" + HexEncode(id) + ".sst";
  *staging = std::make_unique<RocksBlobStaging>(db_, cf(kBlobs), std::move(file), std::move(id), std::move(key_bytes));
  return Status::Ok();
}

Status RocksEventLog::DropStaged(std::string_view staged_id) {
  if (secondary_ || cf(kBlobs) == nullptr) return Status::InvalidArgument("the event log is read-only");
  return DropStagedChunks(db_, cf(kBlobs), staged_id);
}

std::string RocksEventLog::StagingDir() const { return path_ + "/staging"; }

// A crash leaves two kinds of orphans: staging files not ingested yet (the
// staging dir is emptied) and ingested chunks no commit adopted (their
// pending marker names them).
Status RocksEventLog::SweepOrphanStagings() {
  if (secondary_ || cf(kBlobs) == nullptr) return Status::Ok();
  std::error_code ec;
  std::filesystem::remove_all(StagingDir(), ec);
  if (!ec) std::filesystem::create_directories(StagingDir(), ec);
  if (ec) return Status::IOError("cannot empty the upload staging dir " + StagingDir() + ": " + ec.message());
  std::vector<std::string> orphans;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(kBlobs)));
  for (it->Seek("Q"); it->Valid() && it->key().starts_with("Q"); it->Next())
    orphans.emplace_back(it->key().ToString().substr(1));
  if (!it->status().ok()) return FromRocks(it->status(), "looking for orphan attachment chunks");
  for (const std::string& id : orphans) {
    if (Status s = DropStagedChunks(db_, cf(kBlobs), id); !s.ok()) return s;
  }
  return Status::Ok();
}

Status RocksEventLog::ReadStagedBlob(const domain::Id& tenant_id, std::string_view sha256, std::string_view pointer,
                                     std::string* bytes) const {
  if (pointer.size() != 1 + kStagingIdBytes + 4) return Status::Corruption("an attachment record is malformed");
  const std::string id(pointer.substr(1, kStagingIdBytes));
  const std::uint32_t chunks = BigEndian32At(pointer.substr(1 + kStagingIdBytes));
  const std::string key_id = BlobKeyId(tenant_id, sha256);
  DataKey key{};
  bool have_key = false;
  bytes->clear();
  for (std::uint32_t n = 0; n < chunks; ++n) {
    std::string value;
    if (Status s = GetBlobValue(StagedChunkKey(id, n), &value); !s.ok()) return s;
    std::string_view v(value);
    if (!v.empty() && v[0] == 'P') {
      bytes->append(v.substr(1));
      continue;
    }
    if (v.size() < 1 + kGcmNonceBytes || v[0] != 'S') return Status::Corruption("an attachment chunk is malformed");
    if (!have_key) {
      if (vault_->FindKey(key_id, &key) != TextKeys::Found::kKey)
        return Status::NotFound("the attachment's key is destroyed");
      have_key = true;
    }
    std::string plain;
    if (!OpenGcmJoined(key, StagedChunkAad(id, n), v.substr(1), &plain))
      return Status::Corruption("an attachment chunk does not open under its key");
    bytes->append(plain);
  }
  return Status::Ok();
}

}  // namespace ticketd::eventstore

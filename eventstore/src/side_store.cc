// SideStore (side_store.h): one column family, small buffers, the same
// stderr diagnostics as the log.
#include "ticketd/eventstore/side_store.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <exception>
#include <filesystem>

#include "rocks_event_log.h"
#include "stderr_logger.h"

namespace ticketd::eventstore {
namespace {

class RocksSideStore final : public SideStore {
 public:
  explicit RocksSideStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}

  Status Get(std::string_view key, std::string* value) const override {
    return FromRocks(db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), value),
                     "reading " + std::string(key));
  }

  Status Write(std::span<const MetaWrite> writes, MetaDurability durability) override {
    rocksdb::WriteBatch batch;
    for (const MetaWrite& w : writes) {
      rocksdb::Status s = w.value ? batch.Put(w.key, *w.value) : batch.Delete(w.key);
      if (!s.ok()) return FromRocks(s, "staging a side store write");
    }
    rocksdb::WriteOptions options;
    options.sync = durability == MetaDurability::kSynced;
    rocksdb::Status s = db_->Write(options, &batch);
    if (!s.ok()) write_failed_.store(true);
    return FromRocks(s, "writing the side store");
  }

  Status Scan(std::string_view prefix,
              const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      if (!key.starts_with(prefix)) break;
      if (!visit(key, std::string_view(it->value().data(), it->value().size()))) break;
    }
    return FromRocks(it->status(), "scanning the side store");
  }

  Status SyncWal() override {
    // The Debian build of RocksDB asserts (aborts) when a WAL whose append
    // failed (a full disk) is synced: once a write failed, report instead.
    if (write_failed_.load()) return Status::IOError("the side store's WAL failed earlier; not synced");
    return FromRocks(db_->SyncWAL(), "syncing the side store's WAL");
  }

  Status Checkpoint(const std::string& dir) const override {
    rocksdb::Checkpoint* raw = nullptr;
    rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
    if (!s.ok()) return FromRocks(s, "starting a checkpoint of the side store");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    return FromRocks(checkpoint->CreateCheckpoint(dir), "writing a checkpoint to " + dir);
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::atomic<bool> write_failed_{false};
};

}  // namespace

Status SideStore::Open(const std::string& path, std::unique_ptr<SideStore>* store) {
  try {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::IOError("cannot create " + path + ": " + ec.message());
    rocksdb::Options options;
    options.create_if_missing = true;
    options.compression = rocksdb::kNoCompression;
    options.write_buffer_size = 8u << 20;
    options.max_open_files = 64;
    options.max_bgerror_resume_count = 0;
    options.info_log = std::make_shared<StderrLogger>();
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(options, path, &raw);
    if (!s.ok()) return FromRocks(s, "opening " + path);
    *store = std::make_unique<RocksSideStore>(std::unique_ptr<rocksdb::DB>(raw));
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::IOError("opening " + path + " failed: " + e.what());
  }
}

}  // namespace ticketd::eventstore

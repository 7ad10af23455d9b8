// RocksEventLog: the RocksDB implementation of EventLog (see event_log.h for
// the column families and the threading rules).
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <mutex>
#include <vector>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {

class RocksEventLog final : public EventLog {
 public:
  static Status OpenPrimary(const EventLogOptions& options, std::unique_ptr<EventLog>* log);
  static Status OpenSecondary(const std::string& path, std::unique_ptr<EventLog>* log);
  ~RocksEventLog() override;

  Status AppendBatch(std::span<const Commit> commits, std::vector<CommitOutcome>* outcomes) override;
  Status ReadStream(const StreamKey& stream, std::vector<RecordedEvent>* events) const override;
  Status ReadAll(std::uint64_t from, const std::function<bool(const RecordedEvent&)>& visit) const override;
  Status ReadAllRaw(std::uint64_t from, const std::function<bool(const RawRecord&)>& visit) const override;
  std::uint64_t HeadPosition() const override;
  Hash HeadHash() const override;
  void Head(std::uint64_t* position, Hash* hash) const override;
  std::int64_t StreamVersion(const StreamKey& stream) const override;
  Status FindEvent(const domain::Id& event_id, std::uint64_t* position) const override;
  Status GetMeta(std::string_view key, std::string* value) const override;
  Status PutMeta(std::string_view key, std::string_view value) override;
  Status Refresh() override;

 private:
  enum Family { kDefault = 0, kEvents, kStreams, kEventIds, kMeta, kFamilyCount };
  RocksEventLog() = default;
  static Status OpenDb(const std::string& path, bool secondary, const EventLogOptions& options,
                       std::unique_ptr<RocksEventLog>* out);
  Status LoadHead();
  Status CheckFormat(bool may_initialise);
  // Does the stream hold exactly `version` events (version 0: none)?
  Status StreamHasVersion(const std::string& prefix, std::int64_t version, bool* matches) const;
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return handles_[f]; }

  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  bool secondary_ = false;
  bool sync_ = true;
  std::string secondary_dir_;  // private temp dir of a secondary instance
  mutable std::mutex head_mu_;
  std::uint64_t head_ = 0;
  Hash head_hash_{};
};

// rocksdb::Status -> Status, with context.
Status FromRocks(const rocksdb::Status& s, std::string_view context);

}  // namespace ticketd::eventstore

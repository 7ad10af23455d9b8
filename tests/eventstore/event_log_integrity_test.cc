// What the log does with data it did not write itself: records tampered with
// through a raw RocksDB handle, RocksDB dirs of other programs, a wrong
// format marker, and the read-only instance leaving the data dir alone.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <map>

#include "log_test_util.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore::testing {
namespace {

namespace fs = std::filesystem;

std::string PositionKey(std::uint64_t position) {
  std::string key;
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>((position >> shift) & 0xFF));
  return key;
}

// Writes `value` at `key` of a column family, as another program could.
void RawPut(const std::string& path, const std::string& family, const std::string& key,
            const std::string& value) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "streams", "event_ids", "meta", "subject_keys", "blobs"})
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), path, families, &handles, &db).ok());
  std::size_t index = 0;
  while (families[index].name != family) ++index;
  EXPECT_TRUE(db->Put(rocksdb::WriteOptions(), handles[index], key, value).ok());
  for (auto* handle : handles) EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  delete db;
}

// A log of three events on one stream, closed.
void WriteThree(const std::string& path) {
  auto log = OpenLog(path);
  ASSERT_NE(log, nullptr);
  for (int v = 1; v <= 3; ++v)
    ASSERT_TRUE(
        AppendOne(*log, Commit{{CommentEvent(TestId(10, static_cast<std::uint8_t>(v)), TestId(1), v)}}).ok());
}

std::string StoredRecord(std::uint64_t named_position, std::int64_t version) {
  v1::StoredEvent stored;
  stored.set_envelope(EncodeEnvelope(CommentEvent(TestId(10, 2), TestId(1), version), named_position));
  stored.set_hash(std::string(32, '\0'));
  return stored.SerializeAsString();
}

TEST(EventLogIntegrity, ARecordNamingAnotherPositionIsCorruption) {
  test_support::TempDir dir{"log-test"};
  WriteThree(dir.path());
  RawPut(dir.path(), "events", PositionKey(2), StoredRecord(5, 2));  // moved here from position 5
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  std::vector<std::uint64_t> seen;
  Status raw = log->ReadAllRaw(1, [&](const RawRecord& r) {
    seen.push_back(r.position);
    return true;
  });
  EXPECT_TRUE(raw.IsCorruption()) << raw.ToString();
  EXPECT_NE(raw.message().find("position 2"), std::string::npos) << raw.ToString();
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{1}));

  Status decoded = log->ReadAll(1, [](const RecordedEvent&) { return true; });
  EXPECT_TRUE(decoded.IsCorruption()) << decoded.ToString();
  std::vector<RecordedEvent> events;
  Status stream = log->ReadStream({TestId(200), TestId(1)}, &events);
  EXPECT_TRUE(stream.IsCorruption()) << stream.ToString();
  // Reading from behind the damage still works.
  EXPECT_TRUE(log->ReadAllRaw(3, [](const RawRecord&) { return true; }).ok());
}

TEST(EventLogIntegrity, AnUnparseableRecordIsCorruptionWithItsPosition) {
  test_support::TempDir dir{"log-test"};
  WriteThree(dir.path());
  RawPut(dir.path(), "events", PositionKey(2), "\x0a\xff\xff garbage");
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  Status s = log->ReadAll(1, [](const RecordedEvent&) { return true; });
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find("position 2"), std::string::npos) << s.ToString();
}

TEST(EventLogIntegrity, ADamagedNewestRecordFailsTheOpen) {
  test_support::TempDir dir{"log-test"};
  WriteThree(dir.path());
  RawPut(dir.path(), "events", PositionKey(3), StoredRecord(4, 3));
  std::unique_ptr<EventLog> log;
  EXPECT_TRUE(EventLog::Open(EventLogOptions{dir.path()}, &log).IsCorruption());
  EXPECT_TRUE(EventLog::OpenReadOnly(dir.path(), &log).IsCorruption());
}

TEST(EventLogIntegrity, AWrongFormatMarkerFailsTheOpen) {
  test_support::TempDir dir{"log-test"};
  WriteThree(dir.path());
  RawPut(dir.path(), "meta", "format", "ticketd-log-v9");
  std::unique_ptr<EventLog> log;
  Status s = EventLog::Open(EventLogOptions{dir.path()}, &log);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find("not a ticketd data dir"), std::string::npos) << s.ToString();
}

TEST(EventLogIntegrity, AnotherProgramsRocksDbIsLeftAlone) {
  test_support::TempDir dir{"log-test"};
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir.path(), &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "user:1", "someone else's data").ok());
    delete db;
  }
  std::unique_ptr<EventLog> log;
  Status s = EventLog::Open(EventLogOptions{dir.path()}, &log);
  EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  EXPECT_NE(s.message().find("not a ticketd data dir"), std::string::npos) << s.ToString();
  EXPECT_TRUE(EventLog::OpenReadOnly(dir.path(), &log).IsCorruption());
  std::vector<std::string> families;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.path(), &families).ok());
  EXPECT_EQ(families, (std::vector<std::string>{"default"}));  // nothing was created in it
}

TEST(EventLogIntegrity, TheReadOnlyInstanceNeverWritesToTheDataDir) {
  test_support::TempDir dir{"log-test"};
  auto writer = OpenLog(dir.path());
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(AppendOne(*writer, Commit{{CommentEvent(TestId(10), TestId(1), 1)}}).ok());
  auto listing = [&] {
    std::map<std::string, std::uintmax_t> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path()))  // with the upload staging dir
      files[fs::relative(entry.path(), dir.path())] = entry.is_regular_file() ? entry.file_size() : 0;
    return files;
  };
  const auto before = listing();
  {
    std::unique_ptr<EventLog> reader;
    ASSERT_TRUE(EventLog::OpenReadOnly(dir.path(), &reader).ok());
    ASSERT_TRUE(reader->Refresh().ok());
    EXPECT_EQ(reader->HeadPosition(), 1u);
    EXPECT_EQ(reader->HeadHash(), writer->HeadHash());
  }
  EXPECT_EQ(listing(), before);
}

}  // namespace
}  // namespace ticketd::eventstore::testing

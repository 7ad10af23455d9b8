#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "log_test_util.h"
#include "ticketd/eventstore/event_codec.h"

namespace ticketd::eventstore::testing {
namespace {

TEST(EventLog, AppendsWithDensePositionsAndReadsStreamsBack) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  const domain::Id a = TestId(1), b = TestId(2);
  std::vector<Commit> batch = {
      Commit{{CommentEvent(TestId(10), a, 1), CommentEvent(TestId(11), a, 2)}},
      Commit{{CommentEvent(TestId(12), b, 1)}},
      Commit{{CommentEvent(TestId(13), a, 3)}},
  };
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
  EXPECT_EQ(outcomes[0].first_position, 1u);
  EXPECT_EQ(outcomes[0].last_position, 2u);
  EXPECT_EQ(outcomes[1].first_position, 3u);
  EXPECT_EQ(outcomes[2].first_position, 4u);
  EXPECT_EQ(log->HeadPosition(), 4u);
  EXPECT_EQ(log->StreamVersion({TestId(200), a}), 3);
  EXPECT_EQ(log->StreamVersion({TestId(200), b}), 1);
  EXPECT_EQ(log->StreamVersion({TestId(200), TestId(3)}), 0);

  std::vector<RecordedEvent> events;
  ASSERT_TRUE(log->ReadStream({TestId(200), a}, &events).ok());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].version, 1);
  EXPECT_EQ(events[2].version, 3);
  EXPECT_EQ(events[2].position, 4u);
  EXPECT_EQ(events[0].event_id, TestId(10));
  EXPECT_EQ(events[0].correlation_id, TestId(250));

  std::vector<std::uint64_t> positions;
  ASSERT_TRUE(log->ReadAll(2,
                           [&](const RecordedEvent& e) {
                             positions.push_back(e.position);
                             return true;
                           })
                  .ok());
  EXPECT_EQ(positions, (std::vector<std::uint64_t>{2, 3, 4}));
}

TEST(EventLog, AVersionConflictWritesNothingOfThatCommitOnly) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  const domain::Id a = TestId(1);
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(10), a, 1)}}).ok());
  std::vector<Commit> batch = {
      Commit{{CommentEvent(TestId(11), a, 2)}},
      Commit{
          {CommentEvent(TestId(12), a, 2), CommentEvent(TestId(13), TestId(5), 1)}},  // stale: a is at 2 now
      Commit{{CommentEvent(TestId(14), a, 3)}},
  };
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
  EXPECT_TRUE(outcomes[0].status.ok());
  EXPECT_TRUE(outcomes[1].status.IsConflict());
  EXPECT_TRUE(outcomes[2].status.ok());
  EXPECT_EQ(log->HeadPosition(), 3u);
  EXPECT_EQ(log->StreamVersion({TestId(200), TestId(5)}), 0);  // the conflicting commit is atomic
  EXPECT_TRUE(
      AppendOne(*log, Commit{{CommentEvent(TestId(15), a, 7)}}).IsConflict());  // a gap is a conflict too
}

TEST(EventLog, DuplicateEventIdsAreRecognisedAcrossRestarts) {
  test_support::TempDir dir{"log-test"};
  const domain::Id a = TestId(1);
  {
    auto log = OpenLog(dir.path());
    ASSERT_TRUE(
        AppendOne(*log, Commit{{CommentEvent(TestId(10), a, 1), CommentEvent(TestId(11), a, 2)}}).ok());
    std::vector<Commit> same_batch = {Commit{{CommentEvent(TestId(12), a, 3)}},
                                      Commit{{CommentEvent(TestId(12), a, 3)}}};
    std::vector<CommitOutcome> outcomes;
    ASSERT_TRUE(log->AppendBatch(same_batch, &outcomes).ok());
    EXPECT_FALSE(outcomes[0].duplicate);
    EXPECT_TRUE(outcomes[1].duplicate);
    EXPECT_EQ(outcomes[1].first_position, 3u);
  }
  auto log = OpenLog(dir.path());
  CommitOutcome outcome;
  ASSERT_TRUE(
      AppendOne(*log, Commit{{CommentEvent(TestId(10), a, 1), CommentEvent(TestId(11), a, 2)}}, &outcome)
          .ok());
  EXPECT_TRUE(outcome.duplicate);
  EXPECT_EQ(outcome.first_position, 1u);
  EXPECT_EQ(outcome.last_position, 2u);
  EXPECT_EQ(log->HeadPosition(), 3u);
}

TEST(EventLog, ReopenRecoversHeadAndContinuesTheChain) {
  test_support::TempDir dir{"log-test"};
  Hash head_before{};
  {
    auto log = OpenLog(dir.path());
    for (int v = 1; v <= 5; ++v)
      ASSERT_TRUE(
          AppendOne(*log, Commit{{CommentEvent(TestId(10, static_cast<std::uint8_t>(v)), TestId(1), v)}})
              .ok());
    head_before = log->HeadHash();
  }
  auto log = OpenLog(dir.path());
  EXPECT_EQ(log->HeadPosition(), 5u);
  EXPECT_EQ(log->HeadHash(), head_before);
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(10, 6), TestId(1), 6)}}).ok());
  Hash previous{};
  std::uint64_t count = 0;
  ASSERT_TRUE(log->ReadAllRaw(1,
                              [&](const RawRecord& r) {
                                EXPECT_EQ(r.hash, ChainHash(previous, r.envelope)) << r.position;
                                previous = r.hash;
                                ++count;
                                return true;
                              })
                  .ok());
  EXPECT_EQ(count, 6u);
  EXPECT_EQ(previous, log->HeadHash());
}

TEST(EventLog, ReadOnlyInstanceFollowsTheWriterAndCannotWrite) {
  test_support::TempDir dir{"log-test"};
  auto writer = OpenLog(dir.path());
  ASSERT_TRUE(AppendOne(*writer, Commit{{CommentEvent(TestId(10), TestId(1), 1)}}).ok());
  std::unique_ptr<EventLog> reader;
  ASSERT_TRUE(EventLog::OpenReadOnly(dir.path(), &reader).ok());
  EXPECT_EQ(reader->HeadPosition(), 1u);
  ASSERT_TRUE(AppendOne(*writer, Commit{{CommentEvent(TestId(11), TestId(1), 2)}}).ok());
  ASSERT_TRUE(reader->Refresh().ok());
  EXPECT_EQ(reader->HeadPosition(), 2u);
  EXPECT_EQ(reader->HeadHash(), writer->HeadHash());
  std::vector<RecordedEvent> events;
  ASSERT_TRUE(reader->ReadStream({TestId(200), TestId(1)}, &events).ok());
  EXPECT_EQ(events.size(), 2u);
  EXPECT_EQ(reader->StreamVersion({TestId(200), TestId(1)}), 2);
  Commit commit{{CommentEvent(TestId(12), TestId(1), 3)}};
  std::vector<CommitOutcome> outcomes;
  EXPECT_EQ(reader->AppendBatch(std::span<const Commit>(&commit, 1), &outcomes).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(outcomes.at(0).status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(reader->PutMeta("x", "y").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(writer->HeadPosition(), 2u);
}

TEST(EventLog, OpeningSomethingElseFailsClearly) {
  test_support::TempDir dir{"log-test"};
  std::unique_ptr<EventLog> log;
  EXPECT_TRUE(EventLog::OpenReadOnly(dir.path() + "/missing", &log).IsNotFound());
  EXPECT_TRUE(EventLog::OpenReadOnly(dir.path(), &log).IsNotFound());  // a dir, but no log in it
  EventLogOptions no_create{dir.path() + "/none"};
  no_create.create_if_missing = false;
  EXPECT_TRUE(EventLog::Open(no_create, &log).IsNotFound());
  auto writer = OpenLog(dir.path() + "/log");
  std::unique_ptr<EventLog> second;
  Status locked = EventLog::Open(EventLogOptions{dir.path() + "/log"}, &second);
  EXPECT_TRUE(locked.IsIOError()) << locked.ToString();
  EXPECT_NE(locked.message().find("in use by another process"), std::string::npos) << locked.ToString();
}

TEST(EventLog, OneWriterSerialisesARaceOnTheSameStream) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  std::mutex writer;  // the engine's single writer thread, played by a mutex
  std::atomic<int> wins{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Commit commit{{CommentEvent(TestId(50, static_cast<std::uint8_t>(t)), TestId(1), 1)}};
      std::lock_guard lock(writer);
      Status s = AppendOne(*log, commit);
      (s.ok() ? wins : conflicts).fetch_add(1);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), 7);
  EXPECT_EQ(log->HeadPosition(), 1u);
}

TEST(EventLog, MetadataSurvivesReopen) {
  test_support::TempDir dir{"log-test"};
  {
    auto log = OpenLog(dir.path());
    ASSERT_TRUE(log->PutMeta("admin_token_sha256", "abc").ok());
  }
  auto log = OpenLog(dir.path());
  std::string value;
  ASSERT_TRUE(log->GetMeta("admin_token_sha256", &value).ok());
  EXPECT_EQ(value, "abc");
  EXPECT_TRUE(log->GetMeta("nothing", &value).IsNotFound());
}

// The mail queue's writes (kWithNextSync): not fsynced by themselves, yet
// whole and in the log after a reopen, a delete included; a later synced
// write of the log makes them durable with it.
TEST(EventLog, UnsyncedMetadataBatchIsWholeAfterReopen) {
  test_support::TempDir dir{"log-test"};
  {
    auto log = OpenLog(dir.path());
    ASSERT_TRUE(log->PutMeta("mail/gone", "x").ok());
    const std::vector<MetaWrite> writes = {{"mail/a", "1"}, {"mail/b", "2"}, {"mail/gone", std::nullopt}};
    ASSERT_TRUE(log->WriteMeta(writes, MetaDurability::kWithNextSync).ok());
    ASSERT_TRUE(log->WriteMeta(std::vector<MetaWrite>{{"mail/c", "3"}}, MetaDurability::kSynced).ok());
  }
  auto log = OpenLog(dir.path());
  std::vector<std::string> seen;
  ASSERT_TRUE(log->ScanMeta("mail/", [&](std::string_view key, std::string_view value) {
                   seen.push_back(std::string(key) + "=" + std::string(value));
                   return true;
                 }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"mail/a=1", "mail/b=2", "mail/c=3"}));
}

}  // namespace
}  // namespace ticketd::eventstore::testing

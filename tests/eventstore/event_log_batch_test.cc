// AppendBatch's rules commit by commit: atomic multi-stream commits, versions
// counted across the commits of one batch, duplicates with their original
// positions, refused input, and readers running beside the writer.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "log_test_util.h"

namespace ticketd::eventstore::testing {
namespace {

const domain::Id kTenant = TestId(200);

StreamKey Stream(const domain::Id& id) { return {kTenant, id}; }

TEST(EventLogBatch, AMultiStreamCommitIsAllOrNothing) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  const domain::Id a = TestId(1), b = TestId(2);
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(10), b, 1)}}).ok());

  // a would be fine, b is stale: neither is written.
  std::vector<Commit> batch = {Commit{{CommentEvent(TestId(11), a, 1), CommentEvent(TestId(12), b, 1)}}};
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
  EXPECT_TRUE(outcomes[0].status.IsConflict());
  EXPECT_EQ(log->StreamVersion(Stream(a)), 0);
  EXPECT_EQ(log->HeadPosition(), 1u);
  std::uint64_t position = 0;
  EXPECT_TRUE(log->FindEvent(TestId(11), &position).IsNotFound());

  // The refused commit left no trace in the writer's view either: a at 1 is next.
  batch = {Commit{
      {CommentEvent(TestId(13), a, 1), CommentEvent(TestId(14), b, 2), CommentEvent(TestId(15), a, 2)}}};
  ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
  ASSERT_TRUE(outcomes[0].status.ok()) << outcomes[0].status.ToString();
  EXPECT_EQ(outcomes[0].first_position, 2u);
  EXPECT_EQ(outcomes[0].last_position, 4u);
  EXPECT_EQ(log->StreamVersion(Stream(a)), 2);
  EXPECT_EQ(log->StreamVersion(Stream(b)), 2);
  EXPECT_EQ(AllPositions(*log), (std::vector<std::uint64_t>{1, 2, 3, 4}));
}

TEST(EventLogBatch, VersionsCountEarlierCommitsOfTheBatchButNotRefusedOnes) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  const domain::Id a = TestId(1);
  std::vector<Commit> batch = {
      Commit{{CommentEvent(TestId(10), a, 1)}},
      Commit{{CommentEvent(TestId(11), a, 1)}},  // lost the race to the first
      Commit{{CommentEvent(TestId(12), a, 2), CommentEvent(TestId(13), a, 3)}},
      Commit{{CommentEvent(TestId(14), a, 5)}},  // a gap
      Commit{{CommentEvent(TestId(15), a, 4)}},
      Commit{{CommentEvent(TestId(16), TestId(2), 0)}},  // versions start at 1
  };
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
  ASSERT_EQ(outcomes.size(), batch.size());
  EXPECT_TRUE(outcomes[0].status.ok());
  EXPECT_TRUE(outcomes[1].status.IsConflict());
  EXPECT_TRUE(outcomes[2].status.ok());
  EXPECT_TRUE(outcomes[3].status.IsConflict());
  EXPECT_TRUE(outcomes[4].status.ok());
  EXPECT_TRUE(outcomes[5].status.IsConflict());
  EXPECT_EQ(outcomes[4].first_position, 4u);
  EXPECT_EQ(log->StreamVersion(Stream(a)), 4);

  std::vector<RecordedEvent> events;
  ASSERT_TRUE(log->ReadStream(Stream(a), &events).ok());
  ASSERT_EQ(events.size(), 4u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].version, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(events[i].position, i + 1);
  }
  // A fresh instance (empty version cache) agrees.
  log.reset();
  log = OpenLog(dir.path());
  EXPECT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(17), a, 4)}}).IsConflict());
  EXPECT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(18), a, 5)}}).ok());
}

TEST(EventLogBatch, ADuplicateReportsTheOriginalPositions) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  const domain::Id a = TestId(1), b = TestId(2);
  const Commit first{{CommentEvent(TestId(10), a, 1), CommentEvent(TestId(11), a, 2)}};
  std::vector<Commit> batch = {first, Commit{{CommentEvent(TestId(12), b, 1)}}, first};
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
  EXPECT_FALSE(outcomes[0].duplicate);
  ASSERT_TRUE(outcomes[2].duplicate);
  EXPECT_TRUE(outcomes[2].status.ok());
  EXPECT_EQ(outcomes[2].first_position, 1u);
  EXPECT_EQ(outcomes[2].last_position, 2u);
  EXPECT_EQ(log->HeadPosition(), 3u);

  // A retry in a later batch, after b moved on: still a duplicate, not a conflict.
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(13), a, 3)}}).ok());
  CommitOutcome retry;
  ASSERT_TRUE(AppendOne(*log, first, &retry).ok());
  EXPECT_TRUE(retry.duplicate);
  EXPECT_EQ(retry.first_position, 1u);
  EXPECT_EQ(retry.last_position, 2u);
  EXPECT_EQ(log->HeadPosition(), 4u);
}

// A commit whose ids the engine just generated skips the lookups for an
// earlier copy, but ids repeated inside it are still refused.
TEST(EventLogBatch, ACommitOfNewIdsStillRefusesAnIdTwiceInIt) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  const domain::Id a = TestId(1);
  Commit fresh{{CommentEvent(TestId(10), a, 1), CommentEvent(TestId(11), a, 2)}};
  fresh.ids_are_new = true;
  ASSERT_TRUE(AppendOne(*log, fresh).ok());
  EXPECT_EQ(AllPositions(*log), (std::vector<std::uint64_t>{1, 2}));
  std::uint64_t position = 0;
  ASSERT_TRUE(log->FindEvent(TestId(11), &position).ok());  // indexed like any other
  EXPECT_EQ(position, 2u);

  Commit twice{{CommentEvent(TestId(12), a, 3), CommentEvent(TestId(12), a, 4)}};
  twice.ids_are_new = true;
  std::vector<Commit> batch = {twice};
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
  EXPECT_EQ(outcomes[0].status.code(), Status::Code::kInvalidArgument) << outcomes[0].status.ToString();
  EXPECT_EQ(log->HeadPosition(), 2u);
}

TEST(EventLogBatch, MalformedCommitsAreRefusedAlone) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  const domain::Id a = TestId(1), b = TestId(2), c = TestId(3);
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(10), a, 1)}}).ok());
  std::vector<Commit> batch = {
      Commit{},                                                                  // empty
      Commit{{CommentEvent(TestId(11), b, 1), CommentEvent(TestId(11), b, 2)}},  // one id twice
      Commit{{CommentEvent(TestId(12), c, 1), CommentEvent(TestId(10), c, 2)}},  // reuses a logged id
      Commit{{CommentEvent(TestId(13), b, 1)}},
  };
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
  EXPECT_EQ(outcomes[0].status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(outcomes[1].status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(outcomes[2].status.code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(outcomes[2].duplicate);
  EXPECT_TRUE(outcomes[3].status.ok());
  EXPECT_EQ(outcomes[3].first_position, 2u);
  EXPECT_EQ(log->StreamVersion(Stream(c)), 0);
  std::uint64_t position = 0;
  ASSERT_TRUE(log->FindEvent(TestId(10), &position).ok());
  EXPECT_EQ(position, 1u);  // the index still points at the original
}

TEST(EventLogBatch, ReadersSeeAConsistentLogWhileTheWriterAppends) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  constexpr int kBatches = 200, kCommitsPerBatch = 8;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::uint64_t last_head = 0;
    std::int64_t last_version = 0;
    int rounds = 0;
    while (!done.load() || rounds < 3) {
      ++rounds;
      std::uint64_t head = 0;
      Hash hash{};
      log->Head(&head, &hash);
      EXPECT_GE(head, last_head);
      last_head = head;
      const std::int64_t version = log->StreamVersion(Stream(TestId(1)));
      EXPECT_GE(version, last_version);
      last_version = version;
      std::vector<RecordedEvent> events;
      Status s = log->ReadStream(Stream(TestId(1)), &events);
      EXPECT_TRUE(s.ok()) << s.ToString();
      EXPECT_GE(static_cast<std::int64_t>(events.size()), version);
      if (head > 0) {
        Status read = log->ReadAll(head, [&](const RecordedEvent& e) {
          EXPECT_EQ(e.position, head);
          EXPECT_EQ(e.hash, hash);  // Head() pairs a position with its own hash
          return false;
        });
        EXPECT_TRUE(read.ok()) << read.ToString();
      }
    }
  });
  std::vector<CommitOutcome> outcomes;
  std::uint32_t next = 0;
  for (int i = 0; i < kBatches; ++i) {
    std::vector<Commit> batch;
    for (int c = 0; c < kCommitsPerBatch; ++c, ++next) {
      domain::Id event_id = TestId(100);
      std::memcpy(event_id.bytes.data() + 4, &next, 4);
      batch.push_back(Commit{{CommentEvent(event_id, TestId(1), next + 1)}});
    }
    ASSERT_TRUE(log->AppendBatch(batch, &outcomes).ok());
    for (const auto& outcome : outcomes) ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
  }
  done = true;
  reader.join();
  EXPECT_EQ(log->HeadPosition(), std::uint64_t{kBatches * kCommitsPerBatch});
  EXPECT_EQ(log->StreamVersion(Stream(TestId(1))), kBatches * kCommitsPerBatch);
}

}  // namespace
}  // namespace ticketd::eventstore::testing

// Engine snapshots on a real data dir: RetakeSnapshotNow leaves exactly one
// snapshot (at the head), periodic snapshots keep the newest two, and a
// restart from a snapshot, from a corrupted one and from none all end in the
// same canonical hashes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>

#include "engine_state.h"
#include "ticketd/app/backup.h"
#include "ticketd/app/engine.h"
#include "ticketd/app/ids.h"
#include "ticketd/app/snapshot_store.h"
#include "temp_dir.h"

namespace ticketd::app {
namespace {

namespace fs = std::filesystem;

class EngineSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test_support::MakeTempDir("engine-snap");
    ASSERT_FALSE(dir_.empty());
  }
  void TearDown() override {
    engine_.reset();
    fs::remove_all(dir_);
  }

  void Open(std::uint64_t snapshot_every) {
    engine_.reset();
    EngineOptions options;
    options.data_dir = dir_;
    options.sync = false;
    options.snapshot_every = snapshot_every;
    Status s = Engine::Open(options, nullptr, &engine_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // One CreateTenant command (two events: the tenant and its ITSM Agent group), waited for.
  void CreateTenant(int n) {
    domain::CreateTenant command;
    command.actor = domain::Actor{.kind = domain::Actor::Kind::kPlatformAdmin};
    command.at = 1'700'000'000'000'000 + n;
    command.tenant_id = RandomId();
    command.name = "Tenant " + std::to_string(n);
    std::promise<CommandOutcome> done;
    engine_->Submit(domain::DirectoryCommand{command}, RandomId(),
                    [&](CommandOutcome&& outcome) { done.set_value(std::move(outcome)); });
    CommandOutcome outcome = done.get_future().get();
    ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
    ASSERT_FALSE(outcome.error.has_value());
  }

  ReadModelHashes Hashes() {
    std::promise<ReadModelHashes> done;
    engine_->ComputeReadModelHashes([&](ReadModelHashes&& h) { done.set_value(std::move(h)); });
    return done.get_future().get();
  }

  std::vector<std::string> SnapshotFiles() const { return SnapshotStore(dir_ + "/snapshots").List(); }

  std::string dir_;
  std::unique_ptr<Engine> engine_;
};

void ExpectSameHashes(const ReadModelHashes& a, const ReadModelHashes& b) {
  EXPECT_EQ(a.position, b.position);
  EXPECT_EQ(a.tickets, b.tickets);
  EXPECT_EQ(a.directory, b.directory);
  EXPECT_EQ(a.comments, b.comments);
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_EQ(a.analytics, b.analytics);
  EXPECT_EQ(a.write_model, b.write_model);
}

TEST_F(EngineSnapshotTest, PeriodicSnapshotsKeepTheNewestTwo) {
  Open(/*snapshot_every=*/2);
  for (int i = 0; i < 9; ++i) CreateTenant(i);
  engine_->Stop();  // waits for a background write, then the shutdown snapshot
  std::vector<std::string> files = SnapshotFiles();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0], "snapshot-00000000000000000018.snap");
}

TEST_F(EngineSnapshotTest, RetakeSnapshotNowLeavesOnlyAFreshSnapshot) {
  Open(/*snapshot_every=*/2);
  for (int i = 0; i < 6; ++i) CreateTenant(i);
  engine_->Stop();
  Open(/*snapshot_every=*/2);
  ASSERT_EQ(SnapshotFiles().size(), 2u);
  CreateTenant(100);

  Status s = engine_->RetakeSnapshotNow();  // from a thread other than the writer
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<std::string> files = SnapshotFiles();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0], "snapshot-00000000000000000014.snap");

  // From a completion, i.e. on the writer thread itself (no deadlock).
  std::promise<Status> retaken;
  domain::CreateTenant command;
  command.actor = domain::Actor{.kind = domain::Actor::Kind::kPlatformAdmin};
  command.tenant_id = RandomId();
  command.name = "From the writer";
  engine_->Submit(domain::DirectoryCommand{command}, RandomId(),
                  [&](CommandOutcome&&) { retaken.set_value(engine_->RetakeSnapshotNow()); });
  ASSERT_TRUE(retaken.get_future().get().ok());
  files = SnapshotFiles();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0], "snapshot-00000000000000000016.snap");

  ReadModelHashes live = Hashes();
  Open(/*snapshot_every=*/0);
  ExpectSameHashes(Hashes(), live);
}

TEST_F(EngineSnapshotTest, SnapshotFullReplayAndCorruptSnapshotAgree) {
  Open(/*snapshot_every=*/3);
  for (int i = 0; i < 8; ++i) CreateTenant(i);
  ReadModelHashes live = Hashes();
  engine_->Stop();

  Open(/*snapshot_every=*/0);  // from the shutdown snapshot
  ExpectSameHashes(Hashes(), live);
  engine_.reset();

  // Corrupt the newest: the older one (or the full log) takes over.
  std::vector<std::string> files = SnapshotFiles();
  ASSERT_FALSE(files.empty());
  {
    std::fstream file(dir_ + "/snapshots/" + files[0], std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(100);
    char byte = 0;
    file.get(byte);
    file.seekp(100);
    file.put(static_cast<char>(~byte));
  }
  Open(/*snapshot_every=*/0);
  ExpectSameHashes(Hashes(), live);
  engine_.reset();

  fs::remove_all(dir_ + "/snapshots");
  Open(/*snapshot_every=*/0);  // the whole log
  ExpectSameHashes(Hashes(), live);
  EXPECT_EQ(live.position, 16u);
}

// The body of the state folded from the whole log up to `position`.
std::string BodyAtPosition(const eventstore::EventLog& log, std::uint64_t position) {
  EngineState state;
  Status s = log.ReadAll(1, [&](const eventstore::RecordedEvent& recorded) {
    if (recorded.position > position) return false;
    state.Apply(recorded.event);
    return true;
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return state.EncodeSnapshotBody();
}

// Periodic snapshots are rebuilt off the writer thread from the position it
// noted while later batches kept committing; each must still hold exactly
// the state at its own position.
TEST_F(EngineSnapshotTest, BackgroundSnapshotsTakenWhileCommandsArriveEqualTheStateAtTheirPosition) {
  Open(/*snapshot_every=*/3);
  constexpr int kCommands = 150;
  // One command per batch: a background snapshot starts every second batch
  // and the following batches commit while it is being rebuilt and written.
  for (int i = 0; i < kCommands; ++i) CreateTenant(i);
  engine_->Stop();  // joins the background write, then writes the shutdown snapshot at the head
  const std::uint64_t head = engine_->log().HeadPosition();
  ASSERT_EQ(head, 2u * kCommands);
  engine_.reset();

  std::unique_ptr<eventstore::EventLog> log;
  ASSERT_TRUE(eventstore::EventLog::OpenReadOnly(dir_ + "/" + kLogDirName, &log).ok());
  std::vector<std::uint64_t> positions;
  Status s = SnapshotStore(dir_ + "/snapshots").LoadNewest([&](const SnapshotHeader& header, std::string_view body) {
    positions.push_back(header.position);
    EXPECT_EQ(std::string(body), BodyAtPosition(*log, header.position)) << "snapshot at " << header.position;
    return false;  // offer every file
  });
  ASSERT_TRUE(s.IsNotFound()) << s.ToString();
  ASSERT_EQ(positions.size(), 2u);
  EXPECT_EQ(positions[0], head);
  EXPECT_LT(positions[1], head) << "the older file is a background snapshot taken mid-stream";
  EXPECT_GT(positions[1], 0u);
}

}  // namespace
}  // namespace ticketd::app

// Erasures and backups under crashes and races (issue 10, items 1-6). The
// moments that matter are reached on purpose through failpoints
// (ticketd/eventstore/failpoint.h): the server pauses there, and the test
// sends the competing request, releases it, or kills it with SIGKILL.
//
// What must hold: a backup whose position is at or after an erasure holds
// neither the erased subject's wrapped data key (in any SST or WAL version)
// nor a snapshot from before the erasure; an erasure interrupted by kill -9
// is completed at the next start and by a retry; a backup is built under a
// temporary name, owner-only, and a folder without a log is never taken for
// a new data dir.
#include <rocksdb/db.h>
#include <rocksdb/utilities/debug.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

#include "api_fixture.h"
#include "cli_runner.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Every version RocksDB still holds of a subject's key (SSTs, WAL, memtable
// after replay) whose value is a wrapped data key ('K'), not a fence ('E').
int WrappedKeyVersions(const std::string& log_dir, const std::string& key_id) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "streams", "event_ids", "meta", "subject_keys"})
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), log_dir, families, &handles, &db);
  EXPECT_TRUE(s.ok()) << log_dir << ": " << s.ToString();
  if (!s.ok()) return -1;
  std::vector<rocksdb::KeyVersion> versions;
  const std::string end = key_id + '\xff';
  s = rocksdb::GetAllKeyVersions(db, handles[5], key_id, end, 1 << 20, &versions);
  EXPECT_TRUE(s.ok()) << s.ToString();
  int wrapped = 0;
  for (const rocksdb::KeyVersion& version : versions)
    wrapped += version.user_key == key_id && !version.value.empty() && version.value[0] == 'K' ? 1 : 0;
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  delete db;
  return wrapped;
}

// Positions of the snapshot files in `dir` ("snapshot-<position>.snap").
std::vector<std::int64_t> SnapshotPositions(const std::string& dir) {
  std::vector<std::int64_t> positions;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("snapshot-") && name.ends_with(".snap"))
      positions.push_back(std::stoll(name.substr(9, name.size() - 14)));
  }
  return positions;
}

// Waits until `done` or the deadline; true if done.
template <typename Predicate>
bool WaitFor(Predicate done, std::chrono::seconds limit = std::chrono::seconds(30)) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::yield();
  }
  return done();
}

class ErasureBackupOrderTest : public OwnServerTest {
 protected:
  void SetUp() override {
    OwnServerTest::SetUp();
    char pattern[] = "/tmp/ticketd-order-it-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    scratch_ = pattern;
    release_ = scratch_ + "/release";
  }
  void TearDown() override {
    std::ofstream(release_).put('x');  // never leave a paused server behind
    OwnServerTest::TearDown();
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);
  }

  // Restarts the server with `failpoint` armed (released by the file release_).
  void RestartWith(const std::string& failpoint) {
    ASSERT_TRUE(server_.Stop());
    server_.set_extra_env({"TICKETD_FAILPOINT=" + failpoint, "TICKETD_FAILPOINT_RELEASE=" + release_});
    ASSERT_TRUE(server_.Restart());
  }
  bool StderrHas(std::string_view text) const {
    for (const std::string& line : server_.StderrLines())
      if (line.find(text) != std::string::npos) return true;
    return false;
  }
  // A POST on its own connection, on another thread.
  std::future<HttpResponse> PostAsync(const std::string& token, const std::string& target, const std::string& body) {
    const std::uint16_t port = server_.port();
    return std::async(std::launch::async, [=] {
      HttpClient client("127.0.0.1", port);
      return client.Request("POST", target, body, {{"Authorization", "Bearer " + token}});
    });
  }
  std::string EraseBody(const std::string& id) { return R"({"subject_type":"ticket","id":")" + id + R"("})"; }
  std::string BackupBody(const std::string& to) { return R"({"to":)" + Quote(to) + "}"; }
  std::int64_t ErasurePosition(const std::string& id) {
    HttpResponse history = Get(agent_.token, "/api/v1/tickets/" + id + "/history");
    EXPECT_TRUE(HasStatus(history, 200));
    Json json(history.body);
    for (element item : GetArray(json.root(), "items"))
      if (GetString(item, "type") == "ticket.erased") return GetInt(item, "position").value_or(-1);
    return -1;
  }
  // A ticket whose wrapped key and text are flushed into SST files and into
  // a snapshot (a clean restart does both), so only a purge removes them.
  std::string TicketOnDisk() {
    const std::string id = CreateTicket(agent_, R"({"subject":"ZQORDERSUBJ","description":"ZQORDERDESC"})");
    for (int i = 0; i < 20; ++i) CreateTicket(agent_);
    return id;
  }
  // The backup's promises: nothing of an erasure at or before its position.
  void ExpectBackupHoldsNothingErased(const std::string& backup, std::int64_t backup_position,
                                      std::int64_t erasure_position, const std::string& id) {
    ASSERT_GT(erasure_position, 0);
    if (backup_position < erasure_position) return;  // a backup from before the erasure may hold it
    for (std::int64_t position : SnapshotPositions(backup + "/snapshots"))
      EXPECT_GE(position, erasure_position) << "the backup at " << backup_position
                                            << " holds a snapshot from before the erasure";
    EXPECT_EQ(WrappedKeyVersions(backup + "/log", "ticket:" + id), 0)
        << "the backup at " << backup_position << " still holds the erased ticket's wrapped key";
  }

  std::string scratch_;
  std::string release_;
};

// Item 1: the backup request arrives while the erasure is between its fence
// and its purge; the backup must wait for the erasure to complete.
TEST_F(ErasureBackupOrderTest, BackupDuringAnErasurePurgeHoldsNoKeyAndNoOldSnapshot) {
  const std::string id = TicketOnDisk();
  RestartWith("erasure.purge:pause");
  ASSERT_EQ(WrappedKeyVersions(server_.data_dir() + "/log", "ticket:" + id), 1) << "the probe sees the key";
  auto erased = PostAsync(tenant_.admin.token, "/api/v1/erasure", EraseBody(id));
  ASSERT_TRUE(WaitFor([&] { return StderrHas("failpoint erasure.purge: paused"); })) << server_.StderrTail();
  const std::string backup_dir = scratch_ + "/backup";
  auto backup = PostAsync(kAdminToken, "/api/v1/admin/backups", BackupBody(backup_dir));
  // Either the backup is under way (fixed) or it finished meanwhile (the race).
  ASSERT_TRUE(WaitFor([&] {
    return StderrHas("backup to " + backup_dir + " requested") ||
           backup.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }));
  std::ofstream(release_).put('x');
  HttpResponse erase_answer = erased.get();
  HttpResponse backup_answer = backup.get();
  ASSERT_TRUE(HasStatus(erase_answer, 200));
  ASSERT_TRUE(HasStatus(backup_answer, 201));
  const std::int64_t position = GetInt(Json(backup_answer.body).root(), "position").value_or(-1);
  const std::int64_t erasure = ErasurePosition(id);
  EXPECT_GE(position, erasure) << "the backup was asked for after the erasure was committed";
  ExpectBackupHoldsNothingErased(backup_dir, position, erasure, id);
}

// Item 1, the other order: an erasure arriving while a backup copies waits
// for it, so the backup's log stops before the erasure.
TEST_F(ErasureBackupOrderTest, ErasureDuringABackupWaitsForIt) {
  const std::string id = TicketOnDisk();
  RestartWith("backup.copied:pause");
  const std::string backup_dir = scratch_ + "/backup";
  auto backup = PostAsync(kAdminToken, "/api/v1/admin/backups", BackupBody(backup_dir));
  ASSERT_TRUE(WaitFor([&] { return StderrHas("failpoint backup.copied: paused"); })) << server_.StderrTail();
  auto erased = PostAsync(tenant_.admin.token, "/api/v1/erasure", EraseBody(id));
  ASSERT_TRUE(WaitFor([&] {
    return StderrHas("erasure held back") || erased.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }));
  std::ofstream(release_).put('x');
  HttpResponse backup_answer = backup.get();
  ASSERT_TRUE(HasStatus(erased.get(), 200));
  ASSERT_TRUE(HasStatus(backup_answer, 201));
  const std::int64_t position = GetInt(Json(backup_answer.body).root(), "position").value_or(-1);
  const std::int64_t erasure = ErasurePosition(id);
  EXPECT_LT(position, erasure) << "the erasure waited for the backup that was copying";
  ExpectBackupHoldsNothingErased(backup_dir, position, erasure, id);
}

// Item 2: kill -9 as the erasure's purge starts; the next start completes it.
TEST_F(ErasureBackupOrderTest, KillDuringErasurePurgeIsCompletedAtStart) {
  const std::string id = TicketOnDisk();
  RestartWith("erasure.purge:pause");
  auto erased = PostAsync(tenant_.admin.token, "/api/v1/erasure", EraseBody(id));
  ASSERT_TRUE(WaitFor([&] { return StderrHas("failpoint erasure.purge: paused"); })) << server_.StderrTail();
  server_.Kill9();
  (void)erased.get();  // the connection died with the server
  // Offline, the crash left the key behind: what the next start must fix.
  ASSERT_EQ(WrappedKeyVersions(server_.data_dir() + "/log", "ticket:" + id), 1);

  server_.set_extra_env({});
  ASSERT_TRUE(server_.Restart());
  const std::int64_t erasure = ErasurePosition(id);
  ASSERT_GT(erasure, 0) << "the erasure was committed before the kill";
  for (std::int64_t position : SnapshotPositions(server_.data_dir() + "/snapshots"))
    EXPECT_GE(position, erasure) << "a snapshot from before the erasure survived the restart";
  HttpResponse again = Post(tenant_.admin.token, "/api/v1/erasure", EraseBody(id));
  ASSERT_TRUE(HasStatus(again, 200));
  {
    HttpResponse history = Get(agent_.token, "/api/v1/tickets/" + id + "/history");
    Json json(history.body);
    std::string first_erased_at;
    for (element item : GetArray(json.root(), "items"))
      if (GetString(item, "type") == "ticket.erased") first_erased_at = GetString(item, "at");
    EXPECT_EQ(GetString(Json(again.body).root(), "erased_at"), first_erased_at) << "the erasure from before the kill";
  }
  EXPECT_EQ(GetString(Json(GetTicket(agent_, id).body).root(), "subject"), "[erased]");
  ASSERT_TRUE(server_.Stop());
  EXPECT_EQ(WrappedKeyVersions(server_.data_dir() + "/log", "ticket:" + id), 0);
}

// Item 2: a purge that failed is not reported done; the retry completes it.
TEST_F(ErasureBackupOrderTest, RetryCompletesAFailedPurge) {
  const std::string id = TicketOnDisk();
  RestartWith("erasure.purge:fail-once");
  HttpResponse first = Post(tenant_.admin.token, "/api/v1/erasure", EraseBody(id));
  EXPECT_TRUE(IsError(first, 503, "STORAGE_UNAVAILABLE")) << "not erased from disk yet: the client must retry";
  EXPECT_NE(first.body.find("retry"), std::string::npos) << first.body;
  EXPECT_EQ(GetString(Json(GetTicket(agent_, id).body).root(), "subject"), "[erased]");
  HttpResponse retry = Post(tenant_.admin.token, "/api/v1/erasure", EraseBody(id));
  ASSERT_TRUE(HasStatus(retry, 200));
  const std::int64_t erasure = ErasurePosition(id);
  for (std::int64_t position : SnapshotPositions(server_.data_dir() + "/snapshots")) EXPECT_GE(position, erasure);
  server_.Kill9();  // no clean-shutdown flush may do the retry's work
  EXPECT_EQ(WrappedKeyVersions(server_.data_dir() + "/log", "ticket:" + id), 0);
  server_.set_extra_env({});
  ASSERT_TRUE(server_.Restart());
}

// Items 3 and 4: a backup is built under a hidden temporary name, owner-only,
// and renamed last; kill -9 midway leaves nothing under the target's name.
TEST_F(ErasureBackupOrderTest, BackupIsOwnerOnlyAndAppearsOnlyWhenComplete) {
  CreateTicket(agent_);
  const std::string backup_dir = scratch_ + "/backup";
  ASSERT_TRUE(HasStatus(Post(kAdminToken, "/api/v1/admin/backups", BackupBody(backup_dir)), 201));
  std::vector<std::string> too_open;
  for (const auto& entry : fs::recursive_directory_iterator(backup_dir)) {
    struct stat info {};
    ASSERT_EQ(::stat(entry.path().c_str(), &info), 0);
    if ((info.st_mode & 077) != 0) too_open.push_back(entry.path().string());
  }
  struct stat top {};
  ASSERT_EQ(::stat(backup_dir.c_str(), &top), 0);
  EXPECT_EQ(top.st_mode & 0777, 0700u);
  EXPECT_EQ(too_open, std::vector<std::string>{});

  RestartWith("backup.copied:pause");
  const std::string cut = scratch_ + "/cut";
  auto backup = PostAsync(kAdminToken, "/api/v1/admin/backups", BackupBody(cut));
  ASSERT_TRUE(WaitFor([&] { return StderrHas("failpoint backup.copied: paused"); })) << server_.StderrTail();
  server_.Kill9();
  (void)backup.get();
  EXPECT_FALSE(fs::exists(cut)) << "a half backup under the target's name";
  std::vector<std::string> partial;
  for (const auto& entry : fs::directory_iterator(scratch_))
    if (entry.path().filename().string().starts_with(".cut.partial-")) partial.push_back(entry.path().string());
  ASSERT_EQ(partial.size(), 1u) << "the interrupted backup is recognisable by its name";
  // And a server refuses to start on it rather than making an empty log there.
  ServerProcess on_partial(TicketdBinary(), kAdminToken);
  on_partial.set_extra_args({"--data-dir", partial[0]});
  EXPECT_FALSE(on_partial.Start());
  EXPECT_NE(on_partial.StderrTail().find("no event log"), std::string::npos) << on_partial.StderrTail();
  EXPECT_FALSE(fs::exists(partial[0] + "/log/CURRENT"));
  server_.set_extra_env({});
  ASSERT_TRUE(server_.Restart());
}

// Item 3: the folder the issue found (snapshots, master.key, log.tmp, no log).
TEST_F(ErasureBackupOrderTest, ServerRefusesAFolderWithoutALog) {
  const std::string dir = scratch_ + "/half";
  fs::create_directories(dir + "/snapshots");
  fs::create_directories(dir + "/log.tmp");
  fs::copy_file(server_.data_dir() + "/master.key", dir + "/master.key");
  ServerProcess on_half(TicketdBinary(), kAdminToken);
  on_half.set_extra_args({"--data-dir", dir});
  EXPECT_FALSE(on_half.Start()) << "a half-written backup started as an empty server";
  EXPECT_NE(on_half.StderrTail().find("no event log"), std::string::npos) << on_half.StderrTail();
  EXPECT_FALSE(fs::exists(dir + "/log"));
}

// Item 5: a backup never holds an HTTP worker. With one worker thread and a
// backup paused inside, /healthz still answers.
TEST_F(ErasureBackupOrderTest, BackupDoesNotBlockHttpWorkers) {
  ASSERT_TRUE(server_.Stop());
  server_.set_extra_args({"--threads", "1"});
  server_.set_extra_env({"TICKETD_FAILPOINT=backup.copied:pause", "TICKETD_FAILPOINT_RELEASE=" + release_});
  ASSERT_TRUE(server_.Restart());
  auto backup = PostAsync(kAdminToken, "/api/v1/admin/backups", BackupBody(scratch_ + "/slow"));
  ASSERT_TRUE(WaitFor([&] { return StderrHas("failpoint backup.copied: paused"); })) << server_.StderrTail();
  HttpClient client("127.0.0.1", server_.port());
  EXPECT_TRUE(HasStatus(client.Request("GET", "/healthz"), 200)) << "the only HTTP worker is held by the backup";
  std::ofstream(release_).put('x');
  EXPECT_TRUE(HasStatus(backup.get(), 201));
}

// Item 6: a NUL byte in `to` is a validation error and creates nothing.
TEST_F(ErasureBackupOrderTest, NulByteInBackupTargetIsRefused) {
  const std::string target = scratch_ + "/nul";
  HttpResponse refused = Post(kAdminToken, "/api/v1/admin/backups", R"({"to":")" + target + R"(\u0000x"})");
  EXPECT_TRUE(IsError(refused, 400, "VALIDATION_ERROR"));
  std::vector<std::string> created;
  for (const auto& entry : fs::directory_iterator(scratch_)) created.push_back(entry.path().string());
  EXPECT_EQ(created, std::vector<std::string>{});
}

}  // namespace
}  // namespace ticketd::integration

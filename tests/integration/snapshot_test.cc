// Snapshots and canonical read-model hashes, against the real binaries: the
// live server, the same data dir restarted with a full replay, restarted from
// a snapshot, restarted past a corrupted snapshot, and `ticket-replay
// read-models` over the log alone must all report the same hashes.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "api_fixture.h"
#include "cli_runner.h"
#include "poll_until.h"
#include "signin_fixture.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;

constexpr char kHashesPath[] = "/api/v1/audit/read-models";

struct Hashes {
  std::int64_t position = -1;
  std::map<std::string, std::string> by_model;
  bool operator==(const Hashes&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Hashes& h) {
  out << "position " << h.position;
  for (const auto& [model, hash] : h.by_model) out << ", " << model << "=" << hash;
  return out;
}

::testing::AssertionResult ParseHashes(std::string_view body, Hashes* hashes) {
  Json json(body);
  std::optional<std::int64_t> position = GetInt(json.root(), "position");
  if (!position) return ::testing::AssertionFailure() << "no position in " << body;
  hashes->position = *position;
  for (const char* model : {"tickets", "directory", "comments", "digest", "analytics", "write_model"}) {
    std::string hash = GetString(json.root(), std::string("hashes.") + model);
    if (hash.size() != 64) return ::testing::AssertionFailure() << "no 64-hex hash for " << model << " in " << body;
    hashes->by_model[model] = hash;
  }
  return ::testing::AssertionSuccess();
}

class SnapshotTest : public ApiTest {
 protected:
  SnapshotTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }

  fs::path SnapshotDir() const { return fs::path(server_.data_dir()) / "snapshots"; }
  std::vector<fs::path> SnapshotFiles() const {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(SnapshotDir(), ec)) files.push_back(entry.path());
    std::sort(files.rbegin(), files.rend());  // newest first: names carry the zero-padded position
    return files;
  }

  Hashes LiveHashes() {
    Hashes hashes;
    HttpResponse response = Get(kAdminToken, kHashesPath);
    EXPECT_TRUE(HasStatus(response, 200));
    EXPECT_TRUE(ParseHashes(response.body, &hashes));
    return hashes;
  }

  // The stderr line of the last start that says where recovery began.
  std::string RecoveryLine() const {
    for (const std::string& line : server_.StderrLines())
      if (line.find("recovered to position") != std::string::npos) return line;
    return "";
  }

  // Two tenants; users, assets, tickets with every field; assignments,
  // status changes (resolve, close, reopen-free paths), comments public and
  // internal, a deleted ticket and a deleted asset. Enough events to cross
  // --snapshot-every 40 a few times.
  void VariedWorkload() {
    for (int t = 0; t < 2; ++t) {
      Tenant tenant = CreateTenant(t == 0 ? "" : "OPS");
      User agent = CreateUser(tenant, "agent");
      User reporter = CreateUser(tenant, "reporter", "Sales");
      std::string asset = CreateAsset(tenant.admin, "Laptop " + std::to_string(t));
      std::string spare = CreateAsset(tenant.admin, "Spare");
      ASSERT_TRUE(HasStatus(Delete(tenant.admin.token, "/api/v1/assets/" + spare), 204));
      // Sign-in state: a password, sessions (one rotated, one reused, one
      // logged out), a changed user and an unspent reset token.
      User signer = CreateUserWithPassword(http(), tenant.id, "signer" + std::to_string(t) + "@example.com", "agent");
      SignedIn kept = MustLogin(http(), tenant.id, signer.email);
      SignedIn reused = MustLogin(http(), tenant.id, signer.email);
      SignedIn ended = MustLogin(http(), tenant.id, signer.email);
      ASSERT_TRUE(HasStatus(Refresh(http(), kept.refresh), 200));
      ASSERT_TRUE(HasStatus(Refresh(http(), reused.refresh), 200));
      ASSERT_TRUE(IsError(Refresh(http(), reused.refresh), 401, "INVALID_REFRESH_TOKEN"));
      ASSERT_TRUE(HasStatus(WithBearer(http(), "POST", ended.access, "/api/v1/auth/logout"), 204));
      ASSERT_TRUE(HasStatus(Patch(tenant.admin.token, "/api/v1/users/" + reporter.id, R"({"name":"Renamed","department":"IT"})"), 200));
      ASSERT_TRUE(HasStatus(Post(tenant.admin.token, "/api/v1/users/" + signer.id + "/password-reset", ""), 201));
      for (int i = 0; i < 12; ++i) {
        const char* priority[] = {"low", "medium", "high", "urgent"};
        std::string body = R"({"subject":"Issue )" + std::to_string(i) + R"( on the VPN","description":"word)" +
                           std::to_string(i % 3) + R"(","priority":")" + priority[i % 4] +
                           R"(","category":")" + (i % 2 ? "network" : "hardware") + R"(")" +
                           (i % 3 == 0 ? R"(,"due_at":"2026-12-01T08:00:00Z")" : "") +
                           (i % 4 == 1 ? R"(,"asset_id":")" + asset + R"(")" : "") + "}";
        std::string id = CreateTicket(i % 2 ? reporter : agent, body);
        std::string path = "/api/v1/tickets/" + id;
        if (i % 3 != 2) {
          ASSERT_TRUE(HasStatus(Post(agent.token, path + "/assignment", R"({"assignee_id":")" + agent.id + R"("})"),
                                200));
        }
        ASSERT_TRUE(HasStatus(Post(agent.token, path + "/comments", R"({"body":"looking","internal":)" +
                                                                         std::string(i % 2 ? "true" : "false") + "}"),
                              201));
        if (i % 4 == 0) ASSERT_TRUE(HasStatus(ChangeStatus(agent, id, "in_progress"), 200));
        if (i % 4 == 2) {
          ASSERT_TRUE(HasStatus(ChangeStatus(agent, id, "resolved"), 200));
          ASSERT_TRUE(HasStatus(ChangeStatus(agent, id, "closed"), 200));
        }
        if (i % 6 == 5) {
          ASSERT_TRUE(HasStatus(Patch(agent.token, path, R"({"priority":"urgent","subject":"Renamed"})"), 200));
        }
        if (i == 7) ASSERT_TRUE(HasStatus(Delete(tenant.admin.token, path), 204));
      }
    }
  }

  ServerProcess server_;
};

TEST_F(SnapshotTest, LiveFullReplaySnapshotAndCliHashesAreEqual) {
  server_.set_extra_args({"--snapshot-every", "40"});
  ASSERT_TRUE(server_.Start());
  VariedWorkload();
  Hashes live = LiveHashes();
  ASSERT_GT(live.position, 80);
  EXPECT_FALSE(SnapshotFiles().empty()) << "--snapshot-every 40 wrote nothing";

  Tenant tenant = CreateTenant();
  EXPECT_TRUE(IsError(Get(tenant.admin.token, kHashesPath), 403, "FORBIDDEN")) << "platform admin only";
  live = LiveHashes();  // the tenant above moved the position on

  CliResult while_running = RunReplay("read-models --data-dir " + server_.data_dir());
  ASSERT_EQ(while_running.exit_code, 0) << while_running.err;
  Hashes from_cli;
  ASSERT_TRUE(ParseHashes(while_running.out, &from_cli));
  EXPECT_EQ(from_cli, live) << "ticket-replay read-models rebuilt the log alone";

  ASSERT_TRUE(server_.Stop());  // writes the shutdown snapshot at the head
  std::vector<fs::path> files = SnapshotFiles();
  ASSERT_GE(files.size(), 1u);
  EXPECT_LE(files.size(), 2u) << "only the newest two are kept";

  // Full replay: the snapshots moved aside, and none written on the way out.
  fs::rename(SnapshotDir(), fs::path(server_.data_dir()) / "snapshots.aside");
  server_.set_extra_args({"--snapshot-every", "0"});
  ASSERT_TRUE(server_.Restart());
  EXPECT_NE(RecoveryLine().find("snapshot at position 0 ("), std::string::npos) << RecoveryLine();
  EXPECT_EQ(LiveHashes(), live) << "restarted with a full replay";
  ASSERT_TRUE(server_.Stop());
  EXPECT_TRUE(SnapshotFiles().empty()) << "--snapshot-every 0 wrote a snapshot";

  // From the shutdown snapshot: nothing left to replay.
  fs::remove_all(SnapshotDir());
  fs::rename(fs::path(server_.data_dir()) / "snapshots.aside", SnapshotDir());
  ASSERT_TRUE(server_.Restart());
  EXPECT_NE(RecoveryLine().find("snapshot at position " + std::to_string(live.position) + " "),
            std::string::npos)
      << RecoveryLine();
  EXPECT_NE(RecoveryLine().find("then 0 events replayed"), std::string::npos) << RecoveryLine();
  EXPECT_EQ(LiveHashes(), live) << "restarted from a snapshot";

  // The restored state keeps working: a write on top changes the hashes the same way a replay sees.
  User agent = CreateUser(tenant, "agent");
  CreateTicket(agent);
  Hashes after_write = LiveHashes();
  CliResult rebuilt = RunReplay("read-models --data-dir " + server_.data_dir());
  Hashes rebuilt_hashes;
  ASSERT_TRUE(ParseHashes(rebuilt.out, &rebuilt_hashes)) << rebuilt.err;
  EXPECT_EQ(rebuilt_hashes, after_write);
}

TEST_F(SnapshotTest, ASnapshotWithFlippedBytesIsIgnored) {
  server_.set_extra_args({"--snapshot-every", "40"});
  ASSERT_TRUE(server_.Start());
  VariedWorkload();
  Hashes live = LiveHashes();
  ASSERT_TRUE(server_.Stop());
  std::vector<fs::path> files = SnapshotFiles();
  ASSERT_EQ(files.size(), 2u);

  // Flip bytes in the middle of the newest snapshot's body.
  {
    std::fstream file(files[0], std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(0, std::ios::end);
    const auto size = static_cast<std::streamoff>(file.tellg());
    ASSERT_GT(size, 200);
    file.seekg(size / 2);
    char bytes[4];
    file.read(bytes, sizeof bytes);
    for (char& b : bytes) b = static_cast<char>(~b);
    file.seekp(size / 2);
    file.write(bytes, sizeof bytes);
  }
  server_.set_extra_args({"--snapshot-every", "0"});
  ASSERT_TRUE(server_.Restart());
  bool reported = false;
  for (const std::string& line : server_.StderrLines())
    reported = reported || (line.find(files[0].filename().string()) != std::string::npos &&
                            line.find("ignored: checksum mismatch") != std::string::npos);
  EXPECT_TRUE(reported) << server_.StderrTail();
  EXPECT_EQ(RecoveryLine().find("snapshot at position " + std::to_string(live.position) + " "), std::string::npos)
      << "the corrupted snapshot was used: " << RecoveryLine();
  EXPECT_EQ(LiveHashes(), live);
}

TEST_F(SnapshotTest, ASnapshotOfAnotherLogIsIgnored) {
  server_.set_extra_args({"--snapshot-every", "0"});
  ASSERT_TRUE(server_.Start());
  CreateTenant();
  Hashes live = LiveHashes();
  ASSERT_TRUE(server_.Stop());
  // A well-formed snapshot that claims a position this log does not have.
  ServerProcess other(TicketdBinary(), kAdminToken);
  other.set_extra_args({"--snapshot-every", "1"});
  ASSERT_TRUE(other.Start());
  {
    HttpClient client("127.0.0.1", other.port());
    for (int i = 0; i < 5; ++i)
      ASSERT_EQ(client.Request("POST", "/api/v1/tenants", R"({"name":"Other )" + std::to_string(i) + R"("})",
                               {{"Authorization", std::string("Bearer ") + kAdminToken}})
                    .status,
                201);
  }
  ASSERT_TRUE(other.Stop());
  fs::create_directories(SnapshotDir());
  for (const auto& entry : fs::directory_iterator(fs::path(other.data_dir()) / "snapshots"))
    fs::copy_file(entry.path(), SnapshotDir() / entry.path().filename());
  ASSERT_TRUE(server_.Restart());
  EXPECT_NE(RecoveryLine().find("snapshot at position 0 ("), std::string::npos) << RecoveryLine();
  EXPECT_EQ(LiveHashes(), live);
}

// Periodic snapshots are rebuilt on a background thread while writes keep
// arriving. A kill -9 (no shutdown snapshot) then leaves a background
// snapshot as the newest; a restart from it plus the log after it must give
// exactly the live state.
TEST_F(SnapshotTest, ABackgroundSnapshotPlusTheLogAfterItRestoresTheLiveState) {
  server_.set_extra_args({"--snapshot-every", "7"});
  ASSERT_TRUE(server_.Start());
  VariedWorkload();
  Hashes live = LiveHashes();
  // Wait for a background snapshot past the first few events.
  ASSERT_TRUE(test_support::PollUntil([&] { return !SnapshotFiles().empty(); })) << "--snapshot-every 7 wrote nothing";
  server_.Kill9();
  server_.set_extra_args({"--snapshot-every", "0"});
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(RecoveryLine().find("snapshot at position 0 ("), std::string::npos)
      << "no background snapshot was used: " << RecoveryLine();
  EXPECT_EQ(LiveHashes(), live);
}

// With --snapshot-every 1 the background thread is rebuilding or writing a
// snapshot almost all the time, so the kill -9 right after the last answer
// lands in the middle of one (a half-written temp file, a rebuild in memory).
// Nothing acknowledged is lost, and the state equals a replay of the log.
TEST_F(SnapshotTest, KillNineDuringBackgroundSnapshotsLosesNothing) {
  server_.set_extra_args({"--snapshot-every", "1"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  std::vector<std::string> ids;
  for (int i = 0; i < 60; ++i) ids.push_back(CreateTicket(agent));
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  for (const std::string& id : ids) EXPECT_TRUE(HasStatus(Get(agent.token, "/api/v1/tickets/" + id), 200)) << id;
  Hashes restarted = LiveHashes();
  CliResult replayed = RunReplay("read-models --data-dir " + server_.data_dir());
  Hashes from_log;
  ASSERT_TRUE(ParseHashes(replayed.out, &from_log)) << replayed.err;
  EXPECT_EQ(restarted, from_log);
}

}  // namespace
}  // namespace ticketd::integration

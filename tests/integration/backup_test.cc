// End to end: backups (issue 5, item 11). An online backup taken while
// creates and edits keep arriving holds exactly the log up to the position
// it reports; a ticketd started on it verifies and answers like the source
// did at that position:
//  - its tickets are exactly the source's tickets whose first event is at or
//    before the position (so every ticket created before the backup request
//    was sent is there, and none acknowledged after the answer is);
//  - each has the version it had then: the number of its source history
//    events at or before the position;
//  - a ticket that has not changed since is byte-for-byte the same JSON.
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "api_fixture.h"
#include "cli_runner.h"
#include "temp_dir.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;

class BackupTest : public ApiTest {
 protected:
  BackupTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void SetUp() override {
    ASSERT_TRUE(server_.Start());
    scratch_ = test_support::MakeTempDir("backup-it");
    ASSERT_FALSE(scratch_.empty());
  }
  void TearDown() override {
    if (server_.running()) {
      EXPECT_TRUE(server_.Stop());
    }
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);
  }

  HttpResponse RequestBackup(const std::string& to, const std::string& token = kAdminToken) {
    return Post(token, "/api/v1/admin/backups", R"({"to":)" + Quote(to) + "}");
  }

  // id -> version of every ticket `user` can list on the server at `port`.
  static std::map<std::string, std::int64_t> Versions(std::uint16_t port, const User& user) {
    HttpClient client("127.0.0.1", port);
    Headers auth = {{"Authorization", "Bearer " + user.token}};
    std::map<std::string, std::int64_t> out;
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
      std::string target = "/api/v1/tickets?page_size=200&sort=number";
      if (!cursor.empty()) target += "&cursor=" + UrlEncode(cursor);
      HttpResponse response = client.Request("GET", target, {}, auth);
      EXPECT_TRUE(HasStatus(response, 200));
      Json json(response.body);
      for (element item : GetArray(json.root(), "items"))
        out[GetString(item, "id")] = GetInt(item, "version").value_or(-1);
      cursor = GetOptString(json.root(), "next_cursor").value_or("");
      if (cursor.empty()) break;
    }
    return out;
  }

  // The positions of a ticket's events on the source, in version order.
  std::vector<std::int64_t> EventPositions(const User& user, const std::string& id) {
    HttpResponse response = Get(user.token, "/api/v1/tickets/" + id + "/history");
    EXPECT_TRUE(HasStatus(response, 200));
    Json json(response.body);
    std::vector<std::int64_t> positions;
    for (element item : GetArray(json.root(), "items")) positions.push_back(GetInt(item, "position").value_or(-1));
    return positions;
  }

  ServerProcess server_;
  std::string scratch_;
};

TEST_F(BackupTest, OnlineBackupUnderLoadRestoresExactlyTheBackupPosition) {
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  std::vector<std::string> before;
  for (int i = 0; i < 30; ++i) before.push_back(CreateTicket(agent));

  // Load: creating threads, and one thread editing the early tickets so
  // versions move while the backup is taken.
  std::mutex mutex;
  std::condition_variable progress;
  std::atomic<bool> stop{false};
  std::size_t acked = 0;
  std::vector<std::string> failures;
  std::vector<std::thread> writers;
  const std::uint16_t port = server_.port();
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w, port] {
      HttpClient client("127.0.0.1", port);
      Headers auth = {{"Authorization", "Bearer " + agent.token}};
      for (int k = 0; !stop; ++k) {
        HttpResponse response =
            w == 0 ? client.Request("PATCH", "/api/v1/tickets/" + before[static_cast<std::size_t>(k) % before.size()],
                                    R"({"description":"edit )" + std::to_string(k) + R"("})", auth)
                   : client.Request("POST", "/api/v1/tickets", R"({"subject":"Load","description":""})", auth);
        std::lock_guard lock(mutex);
        if (response.status != 200 && response.status != 201) {
          failures.push_back(std::to_string(response.status) + " " + response.body);
          return;
        }
        ++acked;
        progress.notify_all();
      }
    });
  }
  auto wait_for_acks = [&](std::size_t count) {
    std::unique_lock lock(mutex);
    return progress.wait_for(lock, std::chrono::seconds(60), [&] { return acked >= count || !failures.empty(); });
  };
  ASSERT_TRUE(wait_for_acks(100));
  const std::set<std::string> created_before_request = [&] {
    std::set<std::string> ids;
    for (const auto& [id, version] : Versions(port, agent)) ids.insert(id);
    return ids;
  }();
  const std::string backup_dir = scratch_ + "/backup";
  HttpResponse backup = RequestBackup(backup_dir);
  std::size_t acked_at_answer = 0;
  {
    std::lock_guard lock(mutex);
    acked_at_answer = acked;
  }
  EXPECT_TRUE(wait_for_acks(acked_at_answer + 100)) << "the load stalled after the backup";
  stop = true;
  for (auto& writer : writers) writer.join();
  ASSERT_TRUE(failures.empty()) << failures.front();
  ASSERT_TRUE(HasStatus(backup, 201));
  Json answer(backup.body);
  EXPECT_EQ(GetString(answer.root(), "to"), backup_dir);
  const std::int64_t position = GetInt(answer.root(), "position").value_or(-1);
  const std::string hash = GetString(answer.root(), "hash");
  ASSERT_GT(position, 0);
  ASSERT_EQ(hash.size(), 64u);

  // The backup on its own: the chain verifies up to exactly that head.
  CliResult verify = RunReplay("verify --data-dir " + backup_dir);
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  Json verified(verify.out);
  EXPECT_EQ(GetInt(verified.root(), "head_position"), position);
  EXPECT_EQ(GetString(verified.root(), "head_hash"), hash);

  ServerProcess restored(TicketdBinary(), kAdminToken);
  restored.set_extra_args({"--data-dir", backup_dir});
  ASSERT_TRUE(restored.Start());
  HttpClient restored_http("127.0.0.1", restored.port());
  Headers admin = {{"Authorization", "Bearer " + tenant.admin.token}};
  HttpResponse head = restored_http.Request("GET", "/api/v1/audit/head", {}, admin);
  ASSERT_TRUE(HasStatus(head, 200)) << "users and tokens come back with the backup";
  EXPECT_EQ(GetInt(Json(head.body).root(), "position"), position);
  EXPECT_EQ(GetString(Json(head.body).root(), "hash"), hash);

  const std::map<std::string, std::int64_t> in_backup = Versions(restored.port(), agent);
  const std::map<std::string, std::int64_t> in_source = Versions(port, agent);
  std::map<std::string, std::int64_t> expected;  // the source as of the position
  for (const auto& [id, version] : in_source) {
    std::vector<std::int64_t> positions = EventPositions(agent, id);
    ASSERT_EQ(positions.size(), static_cast<std::size_t>(version));
    std::int64_t then = 0;
    for (std::int64_t p : positions) then += p <= position ? 1 : 0;
    if (then > 0) expected[id] = then;
  }
  EXPECT_EQ(in_backup, expected);
  EXPECT_LT(in_backup.size(), in_source.size()) << "the load went on after the backup";
  for (const std::string& id : created_before_request) EXPECT_EQ(in_backup.count(id), 1u) << id;
  int unchanged = 0;
  for (const auto& [id, version] : in_backup) {
    if (in_source.at(id) != version) continue;
    ++unchanged;
    HttpResponse mine = restored_http.Request("GET", "/api/v1/tickets/" + id, {},
                                              {{"Authorization", "Bearer " + agent.token}});
    ASSERT_TRUE(HasStatus(mine, 200));
    EXPECT_EQ(mine.body, GetTicket(agent, id).body);
  }
  EXPECT_GT(unchanged, 0);
  EXPECT_TRUE(restored.Stop());
}

TEST_F(BackupTest, RouteRefusesBadTargetsAndNonAdmins) {
  Tenant tenant = CreateTenant();
  EXPECT_TRUE(IsError(RequestBackup(scratch_ + "/x", tenant.admin.token), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(RequestBackup("relative/dir"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(RequestBackup(server_.data_dir() + "/inside"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Post(kAdminToken, "/api/v1/admin/backups", R"({"to":7})"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Post(kAdminToken, "/api/v1/admin/backups", R"({})"), 400, "VALIDATION_ERROR"));
  // Not empty: refused, and nothing in it is touched.
  fs::create_directories(scratch_ + "/full/keep");
  HttpResponse refused = RequestBackup(scratch_ + "/full");
  EXPECT_TRUE(IsError(refused, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(GetString(Json(refused.body).root(), "error.details.field"), "to");
  EXPECT_TRUE(fs::exists(scratch_ + "/full/keep"));
  // An empty existing dir is fine.
  fs::create_directories(scratch_ + "/empty");
  EXPECT_TRUE(HasStatus(RequestBackup(scratch_ + "/empty"), 201));
}

TEST_F(BackupTest, OfflineBackupCommandCopiesAStoppedServer) {
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  std::string id = CreateTicket(agent);
  ASSERT_TRUE(HasStatus(ChangeStatus(agent, id, "resolved"), 200));
  HttpResponse source_head = Get(tenant.admin.token, "/api/v1/audit/head");
  ASSERT_TRUE(HasStatus(source_head, 200));

  // While the server runs, the log is locked: the command says what to do.
  CliResult busy = RunCli(TicketdBinary(), "backup --data-dir " + server_.data_dir() + " --to " + scratch_ + "/busy");
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_NE(busy.err.find("/api/v1/admin/backups"), std::string::npos) << busy.err;

  ASSERT_TRUE(server_.Stop());
  const std::string backup_dir = scratch_ + "/offline";
  CliResult made = RunCli(TicketdBinary(), "backup --data-dir " + server_.data_dir() + " --to " + backup_dir);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  Json answer(made.out);
  EXPECT_EQ(GetInt(answer.root(), "position"), GetInt(Json(source_head.body).root(), "position"));
  EXPECT_EQ(GetString(answer.root(), "hash"), GetString(Json(source_head.body).root(), "hash"));
  EXPECT_EQ(RunReplay("verify --data-dir " + backup_dir).exit_code, 0);
  EXPECT_EQ(RunCli(TicketdBinary(), "backup --data-dir " + server_.data_dir()).exit_code, 2);

  ServerProcess restored(TicketdBinary(), kAdminToken);
  restored.set_extra_args({"--data-dir", backup_dir});
  ASSERT_TRUE(restored.Start());
  HttpClient client("127.0.0.1", restored.port());
  HttpResponse ticket = client.Request("GET", "/api/v1/tickets/" + id, {}, {{"Authorization", "Bearer " + agent.token}});
  ASSERT_TRUE(HasStatus(ticket, 200));
  EXPECT_EQ(GetString(Json(ticket.body).root(), "status"), "resolved");
  EXPECT_TRUE(restored.Stop());
}

}  // namespace
}  // namespace ticketd::integration

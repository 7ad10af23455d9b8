// ticket-replay against data dirs written by the real server.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api_fixture.h"
#include "cli_runner.h"
#include "temp_dir.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;

using ReplayCliTest = OwnServerTest;

TEST_F(ReplayCliTest, VerifyExportAndHistoryWhileRunningAndAfterStop) {
  std::string id = CreateTicket(agent_, R"({"subject":"Audit me","description":"replay"})");
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, id, "in_progress"), 200));
  HttpResponse head = Get(tenant_.admin.token, "/api/v1/audit/head");
  Json head_json(head.body);
  const std::int64_t position = *GetInt(head_json.root(), "position");
  const std::string hash = GetString(head_json.root(), "hash");

  CliResult live = RunReplay("verify --data-dir " + server_.data_dir());  // ticketd still running
  EXPECT_EQ(live.exit_code, 0) << live.err;
  EXPECT_NE(live.out.find("\"head_hash\":\"" + hash + "\""), std::string::npos) << live.out;
  EXPECT_NE(live.out.find("\"events\":" + std::to_string(position)), std::string::npos) << live.out;

  ASSERT_TRUE(server_.Stop());
  CliResult exported = RunReplay("export --data-dir " + server_.data_dir());
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::istringstream lines(exported.out);
  std::string line;
  std::int64_t count = 0;
  while (std::getline(lines, line)) {
    ++count;
    Json event(line);
    EXPECT_FALSE(GetString(event.root(), "event_id").empty());
    EXPECT_FALSE(GetString(event.root(), "type").empty());
  }
  EXPECT_EQ(count, position);
  CliResult tail =
      RunReplay("export --data-dir " + server_.data_dir() + " --from " + std::to_string(position));
  EXPECT_EQ(std::count(tail.out.begin(), tail.out.end(), '\n'), 1);

  CliResult history = RunReplay("history --data-dir " + server_.data_dir() + " --ticket " + id);
  ASSERT_EQ(history.exit_code, 0) << history.err;
  Json json(history.out);
  EXPECT_EQ(GetString(json.root(), "ticket.status"), "in_progress");
  EXPECT_EQ(GetArray(json.root(), "events").size(), 2u);
  CliResult before = RunReplay("history --data-dir " + server_.data_dir() + " --ticket " + id +
                               " --as-of 2000-01-01T00:00:00Z");
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_TRUE(IsNull(Json(before.out).root(), "ticket"));
}

TEST_F(ReplayCliTest, AFlippedByteInACopyIsReportedWithItsPosition) {
  for (int i = 0; i < 20; ++i)
    CreateTicket(agent_, R"({"subject":"MARKER-flip-me-please","description":"x"})");
  ASSERT_TRUE(server_.Stop());  // a clean stop flushes the log into SST files
  const fs::path copy = server_.data_dir() + "-copy";
  fs::remove_all(copy);
  fs::copy(server_.data_dir(), copy, fs::copy_options::recursive);
  EXPECT_EQ(RunReplay("verify --data-dir " + copy.string()).exit_code, 0);
  bool flipped = false;
  for (const auto& entry : fs::directory_iterator(copy / "log")) {
    if (entry.path().extension() != ".sst") continue;
    std::fstream file(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(file)), {});
    // Personal text is sealed on disk; the event type tag is stored in clear.
    std::size_t at = bytes.find("ticket.created");
    if (at == std::string::npos) continue;
    file.seekp(static_cast<std::streamoff>(at + 3));
    file.put('X');
    flipped = true;
    break;
  }
  ASSERT_TRUE(flipped) << "no SST file holds a ticket.created envelope";
  CliResult result = RunReplay("verify --data-dir " + copy.string());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("position"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("\"first_bad_position\":"), std::string::npos) << result.out;
  fs::remove_all(copy);
}

TEST(ReplayCli, BadInputGetsAClearMessageAndANonZeroExit) {
  EXPECT_EQ(RunReplay("").exit_code, 2);
  EXPECT_EQ(RunReplay("frobnicate --data-dir /tmp").exit_code, 2);
  CliResult missing = RunReplay("verify --data-dir /nonexistent/ticketd");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("not a directory"), std::string::npos);
  test_support::TempDir empty_dir("replay-empty");
  ASSERT_TRUE(empty_dir.ok());
  const std::string& empty = empty_dir.path();
  CliResult not_ticketd = RunReplay("verify --data-dir " + empty);
  EXPECT_EQ(not_ticketd.exit_code, 2);
  EXPECT_FALSE(not_ticketd.err.empty());
  EXPECT_EQ(RunReplay("history --data-dir " + empty + " --ticket nope").exit_code, 2);
}

}  // namespace
}  // namespace ticketd::integration

// Mail out beside a create burst (issue 14 performance, session 9, mailpace):
// delivery waits while the writer is saturated but never past its bound, so
// mails still arrive under a create load that never lets up; and a kill -9
// between a spool round's file writes and their sync re-delivers the same
// mails, same Message-IDs, after the restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "api_fixture.h"
#include "json_helpers.h"
#include "poll_until.h"
#include "temp_dir.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;
using test_support::PollUntil;

std::set<std::string> FileNamesIn(const fs::path& dir) {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) names.insert(entry.path().filename().string());
  return names;
}

class MailPaceTest : public ApiTest {
 protected:
  MailPaceTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (scratch_.ok()) std::ofstream(scratch_.path() + "/release").put('x');  // never leave a paused server
    if (server_.running()) {
      EXPECT_TRUE(server_.Stop());
    }
  }
  double Metric(const std::string& name) { return MetricValue(Get("", "/metrics").body, name); }
  // Message-ID -> status of the tenant's notifications.
  std::map<std::string, std::string> Notifications(const Tenant& tenant) {
    std::map<std::string, std::string> statuses;
    Json json(Get(tenant.admin.token, "/api/v1/notifications").body);
    for (auto item : GetArray(json.root(), "items"))
      statuses[GetString(item, "message_id")] = GetString(item, "status");
    return statuses;
  }

  ServerProcess server_;
  test_support::TempDir scratch_{"mail-pace"};
};

// Creates from `clients` connections, each as fast as it is answered, until
// stopped: enough to keep the writer's group commits deep (saturated).
class CreateLoad {
 public:
  CreateLoad(std::uint16_t port, const std::string& token, int clients) {
    for (int i = 0; i < clients; ++i)
      threads_.emplace_back([this, port, token] {
        HttpClient client("127.0.0.1", port);
        const Headers auth = {{"Authorization", "Bearer " + token}};
        while (!stop_.load()) {
          HttpResponse r =
              client.Request("POST", "/api/v1/tickets", R"({"subject":"Load","description":"d"})", auth);
          if (r.status == 201) created_.fetch_add(1);
        }
      });
  }
  ~CreateLoad() { Stop(); }
  void Stop() {
    stop_ = true;
    for (std::thread& t : threads_)
      if (t.joinable()) t.join();
  }
  std::uint64_t created() const { return created_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> created_{0};
  std::vector<std::thread> threads_;
};

TEST_F(MailPaceTest, MailsStillArriveWhileCreatesSaturateTheWriter) {
  server_.set_extra_args({"--smtp", "spool"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("ACME");
  User reporter = CreateUser(tenant, "reporter");
  CreateLoad load(server_.port(), reporter.token, 8);
  // The mailer saw the writer saturated and held a round back.
  ASSERT_TRUE(PollUntil([&] { return Metric("ticketd_mail_holds_total") >= 1; }, std::chrono::seconds(60)))
      << "the create load never saturated the writer: " << Get("", "/metrics").body;
  // Each create mails the reporter and the tenant's one staff member (the admin).
  const double target = 2.0 * static_cast<double>(load.created());
  ASSERT_GT(target, 0);
  EXPECT_TRUE(
      PollUntil([&] { return Metric("ticketd_mail_sent_total") >= target; }, std::chrono::seconds(90)))
      << "held mails did not go out while the load went on: sent " << Metric("ticketd_mail_sent_total")
      << " of " << target << "; holds " << Metric("ticketd_mail_holds_total") << ", releases "
      << Metric("ticketd_mail_hold_releases_total");
  load.Stop();
  // And once the load is over, everything goes.
  const double all = 2.0 * static_cast<double>(load.created());
  EXPECT_TRUE(PollUntil([&] { return Metric("ticketd_mail_sent_total") >= all; }, std::chrono::seconds(90)));
  EXPECT_TRUE(PollUntil([&] { return Metric("ticketd_mail_queued") == 0; }, std::chrono::seconds(90)));
}

TEST_F(MailPaceTest, KillNineBetweenASpoolRoundsWritesAndItsSyncResendsTheSameMessageIds) {
  ASSERT_TRUE(scratch_.ok());
  server_.set_extra_args({"--smtp", "spool", "--mail-from", "helpdesk@acme.test"});
  server_.set_extra_env({"TICKETD_FAILPOINT=mail.spool.before_sync:pause",
                         "TICKETD_FAILPOINT_RELEASE=" + scratch_.path() + "/release"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("ACME");
  User reporter = CreateUser(tenant, "reporter");
  const std::string ticket = CreateTicket(reporter);
  ASSERT_TRUE(PollUntil([&] {
    for (const std::string& line : server_.StderrLines())
      if (line.find("failpoint mail.spool.before_sync: paused") != std::string::npos) return true;
    return false;
  })) << server_.StderrTail();

  const std::map<std::string, std::string> before = Notifications(tenant);
  ASSERT_EQ(before.size(), 2u) << "the reporter's receipt and the admin's mail";
  std::set<std::string> expected_files;
  for (const auto& [message_id, status] : before) {
    EXPECT_EQ(status, "queued") << message_id;
    EXPECT_EQ(message_id.rfind("<t." + ticket + ".e.", 0), 0u) << message_id;
    expected_files.insert(message_id.substr(1, message_id.size() - 2) + ".eml");
  }
  const fs::path spool = fs::path(server_.data_dir()) / "mail";
  EXPECT_EQ(FileNamesIn(spool / "tmp"), expected_files) << "the round's files are written, not yet synced";
  EXPECT_TRUE(FileNamesIn(spool / "outbox").empty());

  server_.Kill9();
  server_.set_extra_env({});
  ASSERT_TRUE(server_.Restart());
  ASSERT_TRUE(PollUntil([&] { return FileNamesIn(spool / "outbox").size() >= expected_files.size(); }))
      << server_.StderrTail();
  EXPECT_EQ(FileNamesIn(spool / "outbox"), expected_files) << "the same Message-IDs, each once";
  ASSERT_TRUE(PollUntil([&] {
    const std::map<std::string, std::string> after = Notifications(tenant);
    return after.size() == before.size() &&
           std::all_of(after.begin(), after.end(), [](const auto& n) { return n.second == "sent"; });
  })) << "the re-delivered mails are recorded sent";
  const std::map<std::string, std::string> after = Notifications(tenant);
  for (const auto& [message_id, status] : before) EXPECT_TRUE(after.contains(message_id)) << message_id;
}

}  // namespace
}  // namespace ticketd::integration

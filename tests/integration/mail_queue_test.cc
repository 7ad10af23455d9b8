// The mail queue's own store and the mail threads' priority (issue 14,
// performance): queued mails travel with an online backup and go out from
// the restored server with their Message-IDs, and the mail threads run at
// SCHED_IDLE with the idle I/O class (creates take the CPU; mail catches up).
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "api_fixture.h"
#include "json_helpers.h"
#include "poll_until.h"
#include "smtp_sink.h"
#include "temp_dir.h"

namespace ticketd::integration {
namespace {

namespace fs = std::filesystem;
using test_support::PollUntil;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The pid of the ticketd whose command line names `data_dir`; -1 if none.
pid_t PidServing(const std::string& data_dir) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = ReadFile(entry.path() / "cmdline");
    if (cmdline.find("ticketd") != std::string::npos && cmdline.find(data_dir) != std::string::npos)
      return static_cast<pid_t>(std::stol(name));
  }
  return -1;
}

// Field 41 of /proc/PID/task/TID/stat: the thread's scheduling policy.
// Field `n` (>= 3) of a task's /proc stat line, as a number.
int StatField(const fs::path& task, int n) {
  const std::string stat = ReadFile(task / "stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // from field 3 on
  std::string field;
  for (int i = 3; i <= n && fields >> field; ++i) {
  }
  return std::stoi(field);
}
int PolicyOf(const fs::path& task) { return StatField(task, 41); }
int NiceOf(const fs::path& task) { return StatField(task, 19); }

class MailQueueTest : public ApiTest {
 protected:
  MailQueueTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }
  // Message-IDs of the tenant's notifications once there are `count`, all queued.
  std::set<std::string> QueuedMessageIds(const Tenant& tenant, std::size_t count) {
    std::set<std::string> ids;
    EXPECT_TRUE(PollUntil([&] {
      Json json(Get(tenant.admin.token, "/api/v1/notifications").body);
      ids.clear();
      for (auto item : GetArray(json.root(), "items"))
        if (GetString(item, "status") == "queued") ids.insert(GetString(item, "message_id"));
      return ids.size() == count;
    }));
    return ids;
  }

  ServerProcess server_;
};

TEST_F(MailQueueTest, OnlineBackupCarriesTheQueuedMailsToTheRestoredServer) {
  const std::uint16_t port = FreeLoopbackPort();  // nobody listens yet: the mails stay queued
  const std::string smtp = "smtp://127.0.0.1:" + std::to_string(port);
  server_.set_extra_args({"--smtp", smtp, "--mail-from", "helpdesk@acme.test"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("ACME");
  User reporter = CreateUser(tenant, "reporter");
  CreateTicket(reporter);
  CreateTicket(reporter);
  // Each create: the reporter's receipt and one to the tenant's only staff member.
  const std::set<std::string> queued = QueuedMessageIds(tenant, 4);
  ASSERT_EQ(queued.size(), 4u);

  test_support::TempDir scratch{"mail-queue-backup"};
  ASSERT_TRUE(scratch.ok());
  const std::string backup_dir = scratch.path() + "/backup";
  ASSERT_TRUE(HasStatus(Post(kAdminToken, "/api/v1/admin/backups", R"({"to":)" + Quote(backup_dir) + "}"), 201));
  EXPECT_TRUE(fs::exists(fs::path(backup_dir) / "mail-queue" / "CURRENT")) << "the queue's store is in the backup";
  ASSERT_TRUE(server_.Stop());  // it would deliver them itself once the sink listens

  SmtpSink sink;
  ASSERT_TRUE(sink.Start(port));
  ServerProcess restored(TicketdBinary(), kAdminToken);
  restored.set_extra_args({"--data-dir", backup_dir, "--smtp", smtp, "--mail-from", "helpdesk@acme.test"});
  ASSERT_TRUE(restored.Start());
  ASSERT_TRUE(PollUntil([&] { return sink.Mails().size() >= queued.size(); })) << restored.StderrTail();
  std::set<std::string> received;
  for (const auto& mail : sink.Mails()) received.insert(mail.Header("message-id"));
  EXPECT_EQ(received, queued);
  EXPECT_TRUE(restored.Stop());
}

TEST_F(MailQueueTest, MailThreadsRunAtIdleCpuAndIoPriority) {
  server_.set_extra_args({"--smtp", "spool"});
  ASSERT_TRUE(server_.Start());
  Tenant tenant = CreateTenant("ACME");
  User reporter = CreateUser(tenant, "reporter");
  CreateTicket(reporter);
  ASSERT_TRUE(PollUntil([&] {
    HttpResponse r = Get(tenant.admin.token, "/api/v1/notifications?status=sent");
    return HasStatus(r, 200) && GetArray(Json(r.body).root(), "items").size() == 2;
  }));
  const pid_t pid = PidServing(server_.data_dir());
  ASSERT_GT(pid, 0);
  std::set<std::string> mail_threads;
  std::size_t other_idle = 0;
  std::error_code ec;
  for (const fs::directory_entry& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::string name = ReadFile(task.path() / "comm");
    if (!name.empty() && name.back() == '\n') name.pop_back();
    const int policy = PolicyOf(task.path());
    if (!name.starts_with("ticketd-mail")) {
      other_idle += policy == SCHED_IDLE;
      continue;
    }
    mail_threads.insert(name);
    // Also after rounds that read the read models at normal scheduling
    // (NormalSchedulingScope): back to SCHED_IDLE and nice +10.
    EXPECT_EQ(policy, SCHED_IDLE) << name;
    EXPECT_EQ(NiceOf(task.path()), 10) << name;
    constexpr int kIoprioWhoProcess = 1, kIoprioClassIdle = 3, kIoprioClassShift = 13;
    const long ioprio = ::syscall(SYS_ioprio_get, kIoprioWhoProcess, std::stoi(task.path().filename().string()));
    EXPECT_EQ(ioprio >> kIoprioClassShift, kIoprioClassIdle) << name;
  }
  EXPECT_EQ(mail_threads, (std::set<std::string>{"ticketd-mailq", "ticketd-mailout"}));
  EXPECT_EQ(other_idle, 0u) << "the writer and the HTTP threads keep the normal policy";
}

}  // namespace
}  // namespace ticketd::integration

// MAIL.md outbound, end to end: the real ticketd delivering to a real SMTP
// server (aiosmtpd, smtp_sink.h) started by the test, or spooling files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "api_fixture.h"
#include "json_helpers.h"
#include "poll_until.h"
#include "smtp_sink.h"

namespace ticketd::integration {
namespace {

using test_support::PollUntil;

class MailTest : public ApiTest {
 protected:
  MailTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }

  // Starts ticketd mailing to `smtp` (a URL, or "spool"), with a tenant:
  // admin, agent, reporter.
  void StartServer(const std::string& smtp) {
    server_.set_extra_args({"--smtp", smtp, "--mail-from", "helpdesk@acme.test"});
    ASSERT_TRUE(server_.Start());
    tenant_ = CreateTenant("ACME");
    agent_ = CreateUser(tenant_, "agent");
    reporter_ = CreateUser(tenant_, "reporter");
  }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }

  std::vector<std::string> NotificationStatuses(const std::string& query = "") {
    HttpResponse r = Get(tenant_.admin.token, "/api/v1/notifications" + query);
    EXPECT_TRUE(HasStatus(r, 200));
    std::vector<std::string> statuses;
    Json json(r.body);
    for (auto item : GetArray(json.root(), "items")) statuses.push_back(GetString(item, "status"));
    return statuses;
  }
  // Waits until `count` notifications exist and none is queued.
  bool AllSettled(std::size_t count) {
    return PollUntil([&] {
      auto s = NotificationStatuses();
      return s.size() >= count && std::count(s.begin(), s.end(), "queued") == 0;
    });
  }
  std::set<std::string> RecipientsOf(const std::vector<ReceivedMail>& mails, const std::string& ticket_id,
                                     const std::string& event_kind_header_part = "") {
    std::set<std::string> to;
    for (const auto& m : mails)
      if (m.Header("message-id").find("<t." + ticket_id) == 0 &&
          m.Header("subject").find(event_kind_header_part) != std::string::npos)
        to.insert(m.rcpt_to);
    return to;
  }

  ServerProcess server_;
  Tenant tenant_;
  User agent_, reporter_;
};

TEST_F(MailTest, RecipientsPerEventNeverTheActorNorInternalCommentsToReporters) {
  SmtpSink sink;
  ASSERT_TRUE(sink.Start());
  StartServer(sink.url());
  const std::string id = CreateTicket(reporter_);
  ASSERT_TRUE(AllSettled(3));
  auto mails = sink.Mails();
  EXPECT_EQ(RecipientsOf(mails, id), (std::set<std::string>{reporter_.email, agent_.email, tenant_.admin.email}))
      << "the receipt and every IT-staff member";

  // The agent claims (assigned to the actor: no mail; in_progress: the reporter),
  // comments internally (nobody), then publicly (the reporter).
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + id + "/claim", ""), 200));
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + id + "/comments",
                             R"({"body":"root cause: toner SECRET-INTERNAL","internal":true})"), 201));
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + id + "/comments", R"({"body":"On my way"})"), 201));
  // The reporter answers: to the assignee only.
  ASSERT_TRUE(HasStatus(Post(reporter_.token, "/api/v1/tickets/" + id + "/comments", R"({"body":"Thanks!"})"), 201));
  ASSERT_TRUE(AllSettled(6));
  ASSERT_TRUE(PollUntil([&] { return sink.Mails().size() >= 6; }));
  mails = sink.Mails();
  ASSERT_EQ(mails.size(), 6u);
  std::size_t to_reporter = 0, to_agent = 0;
  for (const auto& m : mails) {
    EXPECT_EQ(m.html.find("SECRET-INTERNAL"), std::string::npos) << "an internal comment was mailed";
    EXPECT_EQ(m.text.find("SECRET-INTERNAL"), std::string::npos);
    to_reporter += m.rcpt_to == reporter_.email;
    to_agent += m.rcpt_to == agent_.email;
    // Thread headers in the fixed formats.
    EXPECT_EQ(m.Header("in-reply-to"), "<t." + id + "@acme.test>");
    EXPECT_EQ(m.Header("references"), "<t." + id + "@acme.test>");
    EXPECT_EQ(m.Header("reply-to"), "helpdesk+t." + id + "@acme.test");
    EXPECT_NE(m.Header("content-type").find("multipart/alternative"), std::string::npos);
    EXPECT_NE(m.text.find("/tickets/ACME-000001"), std::string::npos) << "a link to the ticket";
  }
  EXPECT_EQ(to_reporter, 3u) << "receipt, status change, the agent's public comment";
  EXPECT_EQ(to_agent, 2u) << "the creation, the reporter's comment; never the agent's own actions";
}

TEST_F(MailTest, HostileSubjectIsEscapedInTheHtmlPart) {
  SmtpSink sink;
  ASSERT_TRUE(sink.Start());
  StartServer(sink.url());
  CreateTicket(reporter_, R"({"subject":"<script>alert('x')</script> & <b>bold</b>","description":"d"})");
  ASSERT_TRUE(PollUntil([&] { return sink.Mails().size() >= 3; }));
  for (const auto& m : sink.Mails()) {
    EXPECT_EQ(m.html.find("<script>"), std::string::npos) << m.html;
    EXPECT_NE(m.html.find("&lt;script&gt;"), std::string::npos) << m.html;
    EXPECT_NE(m.text.find("<script>alert('x')</script>"), std::string::npos) << "plain text stays as written";
    EXPECT_EQ(m.Header("subject").find("[ACME-000001]") == std::string::npos &&
                  m.Header("subject").find("=?UTF-8?") == std::string::npos,
              false);
  }
}

TEST_F(MailTest, SmtpDownThenBackLosesNothingAndShowsTheBackoff) {
  const std::uint16_t port = FreeLoopbackPort();
  StartServer("smtp://127.0.0.1:" + std::to_string(port));
  const std::string id = CreateTicket(reporter_);
  // Relay down: still queued after a retry, with the error in the log.
  ASSERT_TRUE(PollUntil([&] {
    HttpResponse r = Get(tenant_.admin.token, "/api/v1/notifications?ticket_id=" + id);
    Json json(r.body);
    auto items = GetArray(json.root(), "items");
    return items.size() == 3 && GetInt(items[0], "attempts").value_or(0) >= 2 &&
           GetString(items[0], "status") == "queued" && !GetString(items[0], "last_error").empty() &&
           !GetString(items[0], "next_attempt_at").empty();
  })) << Get(tenant_.admin.token, "/api/v1/notifications").body;
  SmtpSink sink;
  ASSERT_TRUE(sink.Start(port));
  ASSERT_TRUE(PollUntil([&] { return sink.Mails().size() >= 3; }, std::chrono::seconds(60)));
  EXPECT_EQ(RecipientsOf(sink.Mails(), id).size(), 3u);
  ASSERT_TRUE(AllSettled(3));
  auto sent = NotificationStatuses("?status=sent");
  EXPECT_EQ(sent.size(), 3u);
}

TEST_F(MailTest, KillNineWithMailsQueuedResendsWithTheSameMessageId) {
  const std::uint16_t port = FreeLoopbackPort();
  StartServer("smtp://127.0.0.1:" + std::to_string(port));
  const std::string id = CreateTicket(reporter_);
  std::set<std::string> expected_ids;
  ASSERT_TRUE(PollUntil([&] {
    Json json(Get(tenant_.admin.token, "/api/v1/notifications").body);
    expected_ids.clear();
    for (auto item : GetArray(json.root(), "items")) expected_ids.insert(GetString(item, "message_id"));
    return expected_ids.size() == 3;
  }));
  server_.Kill9();
  SmtpSink sink;
  ASSERT_TRUE(sink.Start(port));
  ASSERT_TRUE(server_.Restart());
  ASSERT_TRUE(PollUntil([&] { return sink.Mails().size() >= 3; }));
  std::set<std::string> received;
  for (const auto& m : sink.Mails()) received.insert(m.Header("message-id"));
  EXPECT_EQ(received, expected_ids);
  for (const auto& mid : received)
    EXPECT_EQ(mid.rfind("<t." + id + ".e.", 0), 0u) << mid;
}

TEST_F(MailTest, PermanentRejectionFailsThatMailOnly) {
  SmtpSink sink;
  ASSERT_TRUE(sink.Start());
  StartServer(sink.url());
  HttpResponse r = Post(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/users",
                        R"({"name":"Gone","email":"reject-me@example.com","role":"reporter"})");
  ASSERT_TRUE(HasStatus(r, 201));
  User rejected;
  rejected.token = GetString(Json(r.body).root(), "token");
  CreateTicket(rejected);
  ASSERT_TRUE(AllSettled(3));
  auto failed = NotificationStatuses("?status=failed");
  EXPECT_EQ(failed.size(), 1u);
  EXPECT_EQ(NotificationStatuses("?status=sent").size(), 2u);
  Json json(Get(tenant_.admin.token, "/api/v1/notifications?status=failed").body);
  auto items = GetArray(json.root(), "items");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_NE(GetString(items[0], "last_error").find("550"), std::string::npos);
  EXPECT_EQ(GetString(items[0], "last_error").find("reject-me"), std::string::npos) << "no address in the log";
}

TEST_F(MailTest, DigestOncePerDayToEveryStaffMember) {
  SmtpSink sink;
  ASSERT_TRUE(sink.Start());
  StartServer(sink.url());
  CreateTicket(reporter_, R"({"subject":"Urgent thing","description":"d","priority":"urgent"})");
  ASSERT_TRUE(AllSettled(3));
  HttpResponse r = Post(tenant_.admin.token, "/api/v1/admin/digest/send", R"({"date":"2030-01-02"})");
  ASSERT_TRUE(HasStatus(r, 200));
  Json json(r.body);
  EXPECT_EQ(GetString(json.root(), "date"), "2030-01-02");
  EXPECT_EQ(GetInt(json.root(), "recipients"), 2);
  EXPECT_EQ(GetBool(json.root(), "skipped"), false);
  EXPECT_TRUE(IsError(Post(tenant_.admin.token, "/api/v1/admin/digest/send", R"({"date":"2030-01-02"})"), 409,
                      "ALREADY_SENT"));
  EXPECT_TRUE(IsError(Post(tenant_.admin.token, "/api/v1/admin/digest/send", R"({"date":"01/02/2030"})"), 400,
                      "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Post(reporter_.token, "/api/v1/admin/digest/send", "{}"), 403, "FORBIDDEN"));
  ASSERT_TRUE(PollUntil([&] { return sink.Mails().size() >= 5; }));
  std::set<std::string> digest_to;
  for (const auto& m : sink.Mails()) {
    if (m.Header("message-id").rfind("<digest." + tenant_.id + ".2030-01-02.r.", 0) != 0) continue;
    digest_to.insert(m.rcpt_to);
    EXPECT_NE(m.text.find("Urgent thing"), std::string::npos);
    EXPECT_NE(m.text.find("urgent"), std::string::npos);
  }
  EXPECT_EQ(digest_to, (std::set<std::string>{agent_.email, tenant_.admin.email}));
  // Across a restart too.
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());
  EXPECT_TRUE(IsError(Post(tenant_.admin.token, "/api/v1/admin/digest/send", R"({"date":"2030-01-02"})"), 409,
                      "ALREADY_SENT"));
}

TEST_F(MailTest, QuotaDropsMailsAndRaisesOneAlertPerMonth) {
  SmtpSink sink;
  ASSERT_TRUE(sink.Start());
  StartServer(sink.url());
  ASSERT_TRUE(HasStatus(Patch(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/license",
                              R"({"quotas":{"max_emails_month":2}})"), 200));
  CreateTicket(reporter_);
  CreateTicket(reporter_);
  ASSERT_TRUE(AllSettled(6));
  EXPECT_EQ(NotificationStatuses("?status=sent").size(), 2u);
  Json json(Get(tenant_.admin.token, "/api/v1/notifications?status=dropped").body);
  auto dropped = GetArray(json.root(), "items");
  EXPECT_EQ(dropped.size(), 4u);
  for (auto item : dropped) EXPECT_EQ(GetString(item, "reason"), "quota");
  std::size_t alerts = 0;
  ASSERT_TRUE(PollUntil([&] {
    Json a(Get(kAdminToken, "/api/v1/admin/alerts").body);
    alerts = 0;
    for (auto item : GetArray(a.root(), "items"))
      alerts += GetString(item, "tenant_id") == tenant_.id && GetString(item, "quota") == "max_emails_month";
    return alerts >= 1;
  }));
  EXPECT_EQ(alerts, 1u);
  EXPECT_EQ(sink.Mails().size(), 2u);
}

TEST_F(MailTest, SpoolModeWritesWholeEmlFiles) {
  StartServer("spool");
  const std::string id = CreateTicket(reporter_);
  const std::filesystem::path outbox = std::filesystem::path(server_.data_dir()) / "mail" / "outbox";
  std::vector<std::filesystem::path> files;
  ASSERT_TRUE(PollUntil([&] {
    files.clear();
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(outbox, ec)) files.push_back(e.path());
    return files.size() >= 3;
  }));
  for (const auto& f : files) {
    EXPECT_EQ(f.extension(), ".eml");
    std::ifstream in(f);
    std::stringstream raw;
    raw << in.rdbuf();
    ReceivedMail m = ParseMail(raw.str());
    EXPECT_EQ(m.Header("message-id").rfind("<t." + id + ".e.", 0), 0u);
    EXPECT_NE(m.html.find("</html>"), std::string::npos) << "a whole file";
  }
  EXPECT_TRUE(std::filesystem::is_empty(std::filesystem::path(server_.data_dir()) / "mail" / "tmp"));
}

TEST_F(MailTest, ErasedRecipientsMailIsDroppedWithoutPlaintext) {
  const std::uint16_t port = FreeLoopbackPort();  // down: the mails wait
  StartServer("smtp://127.0.0.1:" + std::to_string(port));
  CreateTicket(reporter_);
  ASSERT_TRUE(PollUntil([&] { return NotificationStatuses().size() == 3; }));
  ASSERT_TRUE(HasStatus(Post(tenant_.admin.token, "/api/v1/erasure",
                             R"({"subject_type":"user","id":")" + reporter_.id + R"("})"), 200));
  ASSERT_TRUE(PollUntil([&] { return NotificationStatuses("?status=dropped").size() == 1; }));
  HttpResponse r = Get(tenant_.admin.token, "/api/v1/notifications?status=dropped");
  EXPECT_EQ(r.body.find(reporter_.email), std::string::npos);
  Json json(r.body);
  auto items = GetArray(json.root(), "items");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(GetString(items[0], "recipient"), "[erased]");
  EXPECT_EQ(GetString(items[0], "reason"), "erased");
}

TEST_F(MailTest, NotificationsNeedSettingsManage) {
  StartServer("spool");
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/notifications"), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(Get(tenant_.admin.token, "/api/v1/notifications?status=bogus"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(HasStatus(Get(tenant_.admin.token, "/api/v1/notifications"), 200));
  HttpResponse metrics = Get("", "/metrics");
  for (const char* series : {"ticketd_mail_queued", "ticketd_mail_sent_total", "ticketd_mail_failed_total",
                             "ticketd_mail_dropped_total", "ticketd_mail_oldest_queued_seconds"})
    EXPECT_NE(metrics.body.find(series), std::string::npos) << series;
}

}  // namespace
}  // namespace ticketd::integration

namespace ticketd::integration {
namespace {

TEST_F(MailTest, TemplatesOverrideValidatePreviewAndReset) {
  StartServer("spool");
  const std::string base = "/api/v1/email-templates";
  EXPECT_TRUE(IsError(Get(tenant_.admin.token, base), 403, "FEATURE_DISABLED"));
  ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings", R"({"features":{"email_templates":true}})"), 200));
  Json list(Get(tenant_.admin.token, base).body);
  EXPECT_EQ(GetArray(list.root(), "items").size(), 8u) << "MAIL.md's seven and ticket.sla_escalated";
  EXPECT_TRUE(IsError(Call("PUT", tenant_.admin.token, base + "/ticket.created",
                           R"({"subject":"{{ticket_title}}","text":"{{nope}}","html":"x"})"),
                      400, "VALIDATION_ERROR"));
  EXPECT_NE(Call("PUT", tenant_.admin.token, base + "/ticket.created",
                 R"({"subject":"{{ticket_title}}","text":"{{nope}}","html":"x"})").body.find("nope"),
            std::string::npos);
  EXPECT_TRUE(IsError(Call("PUT", tenant_.admin.token, base + "/ticket.created",
                           R"({"subject":"s","text":"{{#ticket_title}}","html":"x"})"),
                      400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Call("PUT", tenant_.admin.token, base + "/ticket.bogus", R"({"subject":"s","text":"t","html":"h"})"),
                      404, "NOT_FOUND"));
  HttpResponse put = Call("PUT", tenant_.admin.token, base + "/ticket.created",
                          R"({"subject":"New: {{ticket_title}}","text":"CUSTOM {{ticket_url}}","html":"<p>CUSTOM {{ticket_title}}</p>"})");
  ASSERT_TRUE(HasStatus(put, 200));
  EXPECT_EQ(GetBool(Json(put.body).root(), "custom"), true);
  HttpResponse preview = Post(tenant_.admin.token, base + "/ticket.created/preview", "{}");
  ASSERT_TRUE(HasStatus(preview, 200));
  Json p(preview.body);
  EXPECT_EQ(GetString(p.root(), "subject").rfind("[ACME-000042] New: ", 0), 0u) << preview.body;
  EXPECT_NE(GetString(p.root(), "html").find("&lt;jams&gt;"), std::string::npos) << preview.body;

  CreateTicket(reporter_, R"({"subject":"Mouse","description":"d"})");
  const auto outbox = std::filesystem::path(server_.data_dir()) / "mail" / "outbox";
  ASSERT_TRUE(PollUntil([&] {
    std::error_code ec;
    return std::distance(std::filesystem::directory_iterator(outbox, ec), std::filesystem::directory_iterator()) >= 3;
  }));
  for (const auto& f : std::filesystem::directory_iterator(outbox)) {
    std::ifstream in(f.path());
    std::stringstream raw;
    raw << in.rdbuf();
    EXPECT_NE(ParseMail(raw.str()).text.find("CUSTOM"), std::string::npos);
  }
  EXPECT_TRUE(HasStatus(Delete(tenant_.admin.token, base + "/ticket.created"), 204));
  Json after(Get(tenant_.admin.token, base).body);
  for (auto item : GetArray(after.root(), "items")) EXPECT_EQ(GetBool(item, "custom"), false);
}

}  // namespace
}  // namespace ticketd::integration

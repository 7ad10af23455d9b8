// GDPR erasure end to end (contract: Erasure): unique markers go in through
// the API, an admin erases, and then no API answer, no history, no search
// and no byte of any file in the data dir holds them; the audit chain still
// verifies, and an erased user's token stops working.
#include <filesystem>
#include <random>

#include "api_fixture.h"
#include "cli_runner.h"
#include "disk_scan.h"

namespace ticketd::integration {

using test_support::FilesContaining;
namespace {

namespace fs = std::filesystem;

std::string NewMarker(const char* what) {
  std::random_device rd;
  char buf[64];
  std::snprintf(buf, sizeof buf, "ZQ%s%08x%08x", what, rd(), rd());
  return buf;
}


class ErasureTest : public OwnServerTest {
 protected:
  HttpResponse Erase(const std::string& token, std::string_view type, const std::string& id) {
    return Post(token, "/api/v1/erasure",
                R"({"subject_type":")" + std::string(type) + R"(","id":")" + id + R"("})");
  }
  // A reporter whose name and email are markers.
  User MarkedUser(const std::string& name, const std::string& email_local) {
    HttpResponse r = Post(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/users",
                          R"({"name":")" + name + R"(","email":")" + email_local + R"(@example.com","role":"reporter"})");
    EXPECT_TRUE(HasStatus(r, 201));
    Json json(r.body);
    return User{GetString(json.root(), "id"), GetString(json.root(), "token"), "reporter", email_local};
  }
};

TEST_F(ErasureTest, MarkersAreGoneFromEveryAnswerAndEveryFile) {
  // A snapshot after every batch: the erasure must replace all of them.
  server_.set_extra_args({"--snapshot-every", "1"});
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());
  const std::string subject = NewMarker("SUBJ"), description = NewMarker("DESC");
  const std::string comment = NewMarker("CMNT"), internal = NewMarker("INTL");
  const std::string user_name = NewMarker("NAME"), user_email = NewMarker("MAIL");
  const std::string deleted_subject = NewMarker("DELS");
  const std::string kept = NewMarker("KEEP");

  User reporter = MarkedUser(user_name, user_email);
  const std::string id = CreateTicket(reporter, R"({"subject":")" + subject + R"(","description":")" + description + R"("})");
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + id + "/comments", R"({"body":")" + comment + R"("})"), 201));
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + id + "/comments",
                             R"({"body":")" + internal + R"(","internal":true})"), 201));
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, id, "in_progress"), 200));
  const std::string deleted = CreateTicket(agent_, R"({"subject":")" + deleted_subject + R"(","description":"x"})");
  ASSERT_TRUE(HasStatus(Delete(tenant_.admin.token, "/api/v1/tickets/" + deleted), 204));
  const std::string control = CreateTicket(agent_, R"({"subject":")" + kept + R"(","description":"stays"})");
  const std::size_t history_events = GetArray(Json(Get(agent_.token, "/api/v1/tickets/" + id + "/history").body).root(), "items").size();

  // Erase the ticket, the deleted ticket (its snapshot holds text) and the user.
  HttpResponse erased = Erase(tenant_.admin.token, "ticket", id);
  ASSERT_TRUE(HasStatus(erased, 200));
  {
    Json json(erased.body);
    EXPECT_EQ(GetString(json.root(), "subject_type"), "ticket");
    EXPECT_EQ(GetString(json.root(), "id"), id);
    EXPECT_FALSE(GetString(json.root(), "erased_at").empty());
  }
  ASSERT_TRUE(HasStatus(Erase(tenant_.admin.token, "ticket", deleted), 200));
  ASSERT_TRUE(HasStatus(Erase(tenant_.admin.token, "user", reporter.id), 200));
  {
    // Only the snapshot taken by the last erasure is left, at the head.
    const std::int64_t head = *GetInt(Json(Get(tenant_.admin.token, "/api/v1/audit/head").body).root(), "position");
    std::vector<std::string> snapshots;
    for (const auto& entry : fs::directory_iterator(server_.data_dir() + "/snapshots"))
      snapshots.push_back(entry.path().filename().string());
    char expected[64];
    std::snprintf(expected, sizeof expected, "snapshot-%020lld.snap", static_cast<long long>(head));
    EXPECT_EQ(snapshots, std::vector<std::string>{expected});
  }

  // Every answer shows the marker text gone; the metadata and history stay.
  HttpResponse ticket = GetTicket(agent_, id);
  ASSERT_TRUE(HasStatus(ticket, 200));
  {
    Json json(ticket.body);
    EXPECT_EQ(GetString(json.root(), "subject"), "[erased]");
    EXPECT_EQ(GetString(json.root(), "description"), "[erased]");
    EXPECT_EQ(GetString(json.root(), "status"), "in_progress");
  }
  HttpResponse comments = Get(agent_.token, "/api/v1/tickets/" + id + "/comments");
  Json comments_json(comments.body);
  for (const auto& c : GetArray(comments_json.root(), "items")) EXPECT_EQ(GetString(c, "body"), "[erased]");
  HttpResponse history = Get(agent_.token, "/api/v1/tickets/" + id + "/history");
  Json history_json(history.body);
  EXPECT_EQ(GetArray(history_json.root(), "items").size(), history_events + 1);  // + the erasure itself
  HttpResponse users = Get(tenant_.admin.token, "/api/v1/users");
  HttpResponse search = Get(agent_.token, "/api/v1/tickets?q=" + subject);
  HttpResponse queue = Get(agent_.token, "/api/v1/tickets?page_size=100");
  HttpResponse digest = Get(agent_.token, "/api/v1/digest?date=2030-01-01");
  for (const HttpResponse* r : {&ticket, &comments, &history, &users, &search, &queue, &digest}) {
    ASSERT_EQ(r->status, 200) << r->body;
    for (const std::string& m : {subject, description, comment, internal, user_name, user_email, deleted_subject})
      EXPECT_EQ(r->body.find(m), std::string::npos) << m << " in " << r->body;
  }
  EXPECT_EQ(GetArray(Json(search.body).root(), "items").size(), 0u);
  EXPECT_NE(users.body.find("[erased]"), std::string::npos);
  EXPECT_TRUE(IsError(Get(reporter.token, "/api/v1/tickets"), 401, "UNAUTHENTICATED"));  // token revoked
  EXPECT_EQ(GetString(Json(GetTicket(agent_, control).body).root(), "subject"), kept);   // others untouched

  // The erased ticket takes no new text, but still moves through its states.
  EXPECT_TRUE(IsError(Patch(agent_.token, "/api/v1/tickets/" + id, R"({"subject":"new"})"), 409, "SUBJECT_ERASED"));
  EXPECT_TRUE(HasStatus(ChangeStatus(agent_, id, "resolved"), 200));

  // While running and after a clean stop: nothing in any file of the data dir.
  ASSERT_TRUE(server_.Stop());
  for (const std::string& m : {subject, description, comment, internal, user_name, user_email, deleted_subject})
    EXPECT_EQ(FilesContaining(server_.data_dir(), m), std::vector<std::string>{}) << m;
  // A ticket that was not erased is sealed everywhere but in the mails spooled for people to read
  // (MAIL.md: --smtp spool writes plain .eml files to DIR/mail/outbox; erasure removes those too).
  for (std::string file : FilesContaining(server_.data_dir(), kept))
    EXPECT_NE(file.find("/mail/outbox/"), std::string::npos) << kept << " in " << file;
  CliResult verify = RunReplay("verify --data-dir " + server_.data_dir());
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  CliResult replayed = RunReplay("history --data-dir " + server_.data_dir() + " --ticket " + id);
  EXPECT_EQ(replayed.exit_code, 0) << replayed.err;
  EXPECT_EQ(replayed.out.find(subject), std::string::npos);
  EXPECT_NE(replayed.out.find("[erased]"), std::string::npos);
  CliResult control_history = RunReplay("history --data-dir " + server_.data_dir() + " --ticket " + control);
  EXPECT_NE(control_history.out.find(kept), std::string::npos);  // the key file opens what is not erased

  // After a restart (a full replay of the log) the erasure holds.
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(GetString(Json(GetTicket(agent_, id).body).root(), "subject"), "[erased]");
  EXPECT_EQ(GetString(Json(GetTicket(agent_, control).body).root(), "subject"), kept);
  EXPECT_TRUE(IsError(Get(reporter.token, "/api/v1/tickets"), 401, "UNAUTHENTICATED"));
}

TEST_F(ErasureTest, RulesAndBadInput) {
  const std::string id = CreateTicket(agent_);
  EXPECT_TRUE(IsError(Erase(agent_.token, "ticket", id), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(Erase(kAdminToken, "ticket", id), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(Erase(tenant_.admin.token, "ticket", "7b0c3a52-0c2e-4d8e-9d4e-1f2a3b4c5d6e"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Erase(tenant_.admin.token, "user", "7b0c3a52-0c2e-4d8e-9d4e-1f2a3b4c5d6e"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Erase(tenant_.admin.token, "asset", id), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Erase(tenant_.admin.token, "ticket", "not-a-uuid"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Post(tenant_.admin.token, "/api/v1/erasure", R"({"id":")" + id + R"("})"), 400,
                      "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Post(tenant_.admin.token, "/api/v1/erasure", "{"), 400, "VALIDATION_ERROR"));
  // Another tenant's ticket and user are unknown here.
  Tenant other = CreateTenant();
  EXPECT_TRUE(IsError(Erase(other.admin.token, "ticket", id), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Erase(other.admin.token, "user", agent_.id), 404, "NOT_FOUND"));
  // Twice: 200 both times, the same erased_at.
  HttpResponse first = Erase(tenant_.admin.token, "ticket", id);
  HttpResponse second = Erase(tenant_.admin.token, "ticket", id);
  ASSERT_TRUE(HasStatus(first, 200));
  ASSERT_TRUE(HasStatus(second, 200));
  EXPECT_EQ(GetString(Json(first.body).root(), "erased_at"), GetString(Json(second.body).root(), "erased_at"));
}

}  // namespace
}  // namespace ticketd::integration

// Contract sections Reports and Tickets (history, as_of) against the real server.
#include <chrono>
#include <thread>

#include "api_fixture.h"

namespace ticketd::integration {
namespace {

class ReportsTest : public TenantTest {};

TEST_F(ReportsTest, DigestGroupsOpenWorkByPriorityWithThe0700OverdueRule) {
  HttpResponse empty = Get(agent_.token, "/api/v1/digest?date=2026-11-22");
  ASSERT_TRUE(HasStatus(empty, 200));
  Json nothing(empty.body);
  EXPECT_EQ(GetBool(nothing.root(), "skipped"), true);
  EXPECT_TRUE(GetArray(nothing.root(), "groups").empty());
  EXPECT_EQ(GetString(nothing.root(), "date"), "2026-11-22");

  std::string early = CreateTicket(
      agent_, R"({"subject":"a","description":"","priority":"urgent","due_at":"2026-11-22T06:59:00Z"})");
  std::string late = CreateTicket(
      agent_, R"({"subject":"b","description":"","priority":"urgent","due_at":"2026-11-22T07:00:00Z"})");
  std::string none = CreateTicket(agent_, R"({"subject":"c","description":"","priority":"urgent"})");
  std::string low = CreateTicket(agent_, R"({"subject":"d","description":"","priority":"low"})");
  std::string done = CreateTicket(agent_, R"({"subject":"e","description":"","priority":"high"})");
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, done, "resolved"), 200));
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + low + "/claim", ""), 200));

  HttpResponse response = Get(manager_.token, "/api/v1/digest?date=2026-11-22");
  ASSERT_TRUE(HasStatus(response, 200));
  Json json(response.body);
  EXPECT_EQ(GetBool(json.root(), "skipped"), false);
  std::vector<element> groups = GetArray(json.root(), "groups");
  ASSERT_EQ(groups.size(), 2u);  // urgent and low; the resolved high ticket is not open
  EXPECT_EQ(GetString(groups[0], "priority"), "urgent");
  std::vector<element> urgent = GetArray(groups[0], "tickets");
  ASSERT_EQ(urgent.size(), 3u);
  EXPECT_EQ(GetString(urgent[0], "id"), early);
  EXPECT_EQ(GetBool(urgent[0], "overdue"), true);
  EXPECT_EQ(GetString(urgent[1], "id"), late);
  EXPECT_EQ(GetBool(urgent[1], "overdue"), false);
  EXPECT_EQ(GetString(urgent[2], "id"), none);
  EXPECT_TRUE(IsNull(urgent[2], "due_at"));
  for (const char* field : {"number", "subject", "status", "assignee_id"})
    EXPECT_TRUE(Has(urgent[0], field)) << field;
  std::vector<element> low_group = GetArray(groups[1], "tickets");
  ASSERT_EQ(low_group.size(), 1u);
  EXPECT_EQ(GetString(low_group[0], "status"), "in_progress");

  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/digest?date=22.11.2026"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Get(reporter_.token, "/api/v1/digest?date=2026-11-22"), 403, "FORBIDDEN"));
}

TEST_F(ReportsTest, AnalyticsCountsTheTenantsTickets) {
  std::string a =
      CreateTicket(agent_, R"({"subject":"a","description":"","priority":"high","category":"network"})");
  std::string b = CreateTicket(agent_, R"({"subject":"b","description":"","category":"network"})");
  CreateTicket(agent_, R"({"subject":"c","description":"","category":"printing"})");
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + a + "/claim", ""), 200));
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, b, "resolved"), 200));
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, b, "closed"), 200));

  HttpResponse response = Get(manager_.token, "/api/v1/analytics");
  ASSERT_TRUE(HasStatus(response, 200));
  Json json(response.body);
  EXPECT_EQ(GetInt(json.root(), "by_status.open"), 1);
  EXPECT_EQ(GetInt(json.root(), "by_status.in_progress"), 1);
  EXPECT_EQ(GetInt(json.root(), "by_status.closed"), 1);
  EXPECT_EQ(GetInt(json.root(), "open_by_priority.medium"), 1);
  EXPECT_EQ(GetInt(json.root(), "open_by_priority.high"), 0);
  std::vector<element> load = GetArray(json.root(), "per_assignee");
  ASSERT_EQ(load.size(), 1u);
  EXPECT_EQ(GetString(load[0], "assignee_id"), agent_.id);
  EXPECT_EQ(GetInt(load[0], "in_progress"), 1);
  for (const char* field : {"mean", "p50", "p90"}) {
    EXPECT_TRUE(Has(json.root(), std::string("time_to_resolve_hours.") + field)) << field;
    EXPECT_TRUE(Has(json.root(), std::string("time_to_close_hours.") + field)) << field;
  }
  std::vector<element> created = GetArray(json.root(), "created_per_day");
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(GetInt(created[0], "count"), 3);
  EXPECT_EQ(GetArray(json.root(), "closed_per_day").size(), 1u);
  std::vector<element> categories = GetArray(json.root(), "top_categories");
  ASSERT_EQ(categories.size(), 2u);
  EXPECT_EQ(GetString(categories[0], "category"), "network");
  EXPECT_EQ(GetInt(categories[0], "count"), 2);
  EXPECT_TRUE(GetArray(json.root(), "stale_in_progress").empty());
  EXPECT_TRUE(IsError(Get(reporter_.token, "/api/v1/analytics"), 403, "FORBIDDEN"));
}

TEST_F(ReportsTest, AuditHeadIsForAdminsAndMovesWithEveryWrite) {
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/audit/head"), 403, "FORBIDDEN"));
  HttpResponse before = Get(tenant_.admin.token, "/api/v1/audit/head");
  ASSERT_TRUE(HasStatus(before, 200));
  CreateTicket(agent_);
  HttpResponse after = Get(tenant_.admin.token, "/api/v1/audit/head");
  ASSERT_TRUE(HasStatus(after, 200));
  Json b(before.body), a(after.body);
  EXPECT_GT(*GetInt(a.root(), "position"), *GetInt(b.root(), "position"));
  EXPECT_EQ(GetString(a.root(), "hash").size(), 64u);
  EXPECT_NE(GetString(a.root(), "hash"), GetString(b.root(), "hash"));
}

TEST_F(ReportsTest, AsOfAnswersTheTicketAsItWasThen) {
  std::string id = CreateTicket(agent_, R"({"subject":"first","description":""})");
  HttpResponse created = GetTicket(agent_, id);
  std::string created_at = GetString(Json(created.body).root(), "created_at");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // distinct event times, ms resolution
  ASSERT_TRUE(HasStatus(Patch(agent_.token, "/api/v1/tickets/" + id, R"({"subject":"second"})"), 200));
  HttpResponse then = Get(agent_.token, "/api/v1/tickets/" + id + "?as_of=" + UrlEncode(created_at));
  ASSERT_TRUE(HasStatus(then, 200));
  EXPECT_EQ(GetString(Json(then.body).root(), "subject"), "first");
  EXPECT_EQ(GetInt(Json(then.body).root(), "version"), 1);
  HttpResponse now = GetTicket(agent_, id);
  EXPECT_EQ(GetString(Json(now.body).root(), "subject"), "second");
  EXPECT_TRUE(
      IsError(Get(agent_.token, "/api/v1/tickets/" + id + "?as_of=yesterday"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(
      IsError(Get(agent_.token, "/api/v1/tickets/" + id + "?as_of=2001-01-01T00:00:00Z"), 404, "NOT_FOUND"));
}

TEST_F(ReportsTest, HistoryHidesInternalCommentsFromReporters) {
  std::string id = CreateTicket(reporter_);
  ASSERT_TRUE(HasStatus(
      Post(agent_.token, "/api/v1/tickets/" + id + "/comments", R"({"body":"x","internal":true})"), 201));
  auto types = [&](const User& user) {
    HttpResponse response = Get(user.token, "/api/v1/tickets/" + id + "/history");
    Json json(response.body);
    std::vector<std::string> out;
    for (element item : GetArray(json.root(), "items")) out.push_back(GetString(item, "type"));
    return out;
  };
  EXPECT_EQ(types(agent_), (std::vector<std::string>{"ticket.created", "comment.added"}));
  EXPECT_EQ(types(reporter_), (std::vector<std::string>{"ticket.created"}));
}

}  // namespace
}  // namespace ticketd::integration

// End to end: the ticket state machine (contract: "State machine"). Every
// (from, to) pair goes through POST /tickets/{id}/status as an agent; then
// the reporter's and the manager's limits.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api_fixture.h"

namespace ticketd::integration {
namespace {

const std::vector<std::string> kStatuses = {"open",     "in_progress", "on_hold",
                                            "resolved", "closed",      "cancelled"};

// The contract's table, written out independently of the server.
const std::map<std::string, std::set<std::string>>& AllowedTargets() {
  static const auto* table = new std::map<std::string, std::set<std::string>>{
      {"open", {"in_progress", "on_hold", "resolved", "closed", "cancelled"}},
      {"in_progress", {"open", "on_hold", "resolved", "closed", "cancelled"}},
      {"on_hold", {"open", "in_progress", "resolved", "cancelled"}},
      {"resolved", {"closed", "open", "in_progress"}},
      {"closed", {"open"}},
      {"cancelled", {}},
  };
  return *table;
}

class StateMachineTest : public TenantTest {
 protected:
  // A new ticket of reporter_ driven to `status` by the agent through
  // allowed transitions only (every state is one step from open).
  std::string TicketIn(const std::string& status) {
    std::string id = CreateTicket(reporter_);
    if (status != "open") {
      EXPECT_TRUE(HasStatus(ChangeStatus(agent_, id, status), 200)) << "reaching " << status;
    }
    EXPECT_EQ(StatusOf(agent_, id), status);
    return id;
  }
};

class EveryTransitionTest : public StateMachineTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(EveryTransitionTest, AgentGetsExactlyTheAllowedTransitions) {
  const std::string& from = GetParam();
  const std::set<std::string>& allowed = AllowedTargets().at(from);
  for (const std::string& to : kStatuses) {
    SCOPED_TRACE(from + " -> " + to);
    std::string id = TicketIn(from);
    HttpResponse response = ChangeStatus(agent_, id, to);
    if (allowed.count(to)) {
      ASSERT_TRUE(HasStatus(response, 200));
      Json json(response.body);
      EXPECT_EQ(GetString(json.root(), "status"), to);
      EXPECT_EQ(response.Header("ETag"),
                "\"" + std::to_string(GetInt(json.root(), "version").value_or(-1)) + "\"");
      EXPECT_EQ(StatusOf(agent_, id), to);
      continue;
    }
    ASSERT_TRUE(IsError(response, 409, "INVALID_TRANSITION"));
    Json json(response.body);
    EXPECT_EQ(GetString(json.root(), "error.details.from"), from);
    EXPECT_EQ(GetString(json.root(), "error.details.to"), to);
    ASSERT_TRUE(At(json.root(), "error.details.allowed").has_value());
    EXPECT_TRUE(At(json.root(), "error.details.allowed")->is_array());
    std::vector<std::string> listed = GetStrings(json.root(), "error.details.allowed");
    EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()), allowed);
    EXPECT_EQ(listed.size(), allowed.size()) << "no duplicates";
    EXPECT_EQ(StatusOf(agent_, id), from) << "a refused transition changes nothing";
  }
}

INSTANTIATE_TEST_SUITE_P(FromEveryState, EveryTransitionTest, ::testing::ValuesIn(kStatuses),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST_F(StateMachineTest, AdminMayMakeEveryAllowedTransition) {
  std::string id = TicketIn("open");
  for (const char* to : {"in_progress", "on_hold", "resolved", "closed", "open", "cancelled"}) {
    EXPECT_TRUE(HasStatus(ChangeStatus(tenant_.admin, id, to), 200)) << to;
  }
  EXPECT_EQ(StatusOf(agent_, id), "cancelled");
}

TEST_F(StateMachineTest, StatusChangeWithCommentAddsAPublicComment) {
  std::string id = TicketIn("open");
  HttpResponse response = Post(agent_.token, "/api/v1/tickets/" + id + "/status",
                               R"({"status":"resolved","comment":"Replaced the toner"})");
  ASSERT_TRUE(HasStatus(response, 200));
  HttpResponse comments = Get(reporter_.token, "/api/v1/tickets/" + id + "/comments");
  ASSERT_TRUE(HasStatus(comments, 200));
  Json json(comments.body);
  std::vector<element> items = GetArray(json.root(), "items");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(GetString(items[0], "body"), "Replaced the toner");
  EXPECT_EQ(GetBool(items[0], "internal"), false);
}

TEST_F(StateMachineTest, ReporterClosesAndReopensOwnResolvedTicket) {
  std::string id = TicketIn("resolved");
  HttpResponse closed = ChangeStatus(reporter_, id, "closed");
  ASSERT_TRUE(HasStatus(closed, 200));
  EXPECT_EQ(GetString(Json(closed.body).root(), "status"), "closed");
  HttpResponse reopened = ChangeStatus(reporter_, id, "open");
  ASSERT_TRUE(HasStatus(reopened, 200)) << "reopen from closed";
  EXPECT_EQ(GetString(Json(reopened.body).root(), "status"), "open");

  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, id, "resolved"), 200));
  HttpResponse again = ChangeStatus(reporter_, id, "open");
  ASSERT_TRUE(HasStatus(again, 200)) << "reopen from resolved";
  EXPECT_EQ(StatusOf(agent_, id), "open");
}

TEST_F(StateMachineTest, ReporterMayNotWorkTheTicket) {
  std::string open = TicketIn("open");
  EXPECT_TRUE(IsError(ChangeStatus(reporter_, open, "in_progress"), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(ChangeStatus(reporter_, open, "resolved"), 403, "FORBIDDEN"));
  EXPECT_EQ(StatusOf(agent_, open), "open");
  std::string resolved = TicketIn("resolved");
  EXPECT_TRUE(IsError(ChangeStatus(reporter_, resolved, "in_progress"), 403, "FORBIDDEN"));
  EXPECT_EQ(StatusOf(agent_, resolved), "resolved");
}

TEST_F(StateMachineTest, ReporterMayNotCloseSomeoneElsesTicket) {
  User other = CreateUser(tenant_, "reporter");
  std::string id = TicketIn("resolved");
  HttpResponse response = ChangeStatus(other, id, "closed");
  EXPECT_TRUE(IsError(response, 404, "NOT_FOUND")) << "another reporter's ticket is invisible";
  EXPECT_EQ(StatusOf(agent_, id), "resolved");
}

TEST_F(StateMachineTest, ManagerMayNotChangeStatus) {
  for (const char* from : {"open", "resolved"}) {
    std::string id = TicketIn(from);
    for (const char* to : {"in_progress", "closed"}) {
      EXPECT_TRUE(IsError(ChangeStatus(manager_, id, to), 403, "FORBIDDEN")) << from << " -> " << to;
    }
    EXPECT_EQ(StatusOf(agent_, id), from);
  }
}

TEST_F(StateMachineTest, ClaimFollowsTheStateMachine) {
  for (const char* from : {"open", "on_hold", "resolved", "in_progress"}) {
    std::string id = TicketIn(from);
    HttpResponse claimed = Post(agent_.token, "/api/v1/tickets/" + id + "/claim", "");
    ASSERT_TRUE(HasStatus(claimed, 200)) << from;
    EXPECT_EQ(GetString(Json(claimed.body).root(), "status"), "in_progress") << from;
    EXPECT_EQ(GetString(Json(claimed.body).root(), "assignee_id"), agent_.id) << from;
  }
  for (const char* from : {"closed", "cancelled"}) {
    std::string id = TicketIn(from);
    EXPECT_TRUE(
        IsError(Post(agent_.token, "/api/v1/tickets/" + id + "/claim", ""), 409, "INVALID_TRANSITION"))
        << from;
    EXPECT_EQ(StatusOf(agent_, id), from);
  }
}

}  // namespace
}  // namespace ticketd::integration

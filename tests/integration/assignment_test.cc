// WORKFLOW.md "Teams and fair assignment" against the real binary: the
// group's rule assigns in the creating (or moving) command, skips inactive
// members and those without tickets:manage, and a restart (clean or kill -9)
// re-decides nothing and continues the turn where it was.
#include "api_fixture.h"

namespace ticketd::integration {
namespace {

class AssignmentTest : public OwnServerTest {
 protected:
  void SetUp() override {
    OwnServerTest::SetUp();
    second_ = CreateUser(tenant_, "agent");
    inactive_ = CreateUser(tenant_, "agent");
    reporter_ = CreateUser(tenant_, "reporter");
    ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/users/" + inactive_.id, R"({"active":false})"), 200));
    Json groups(Get(reporter_.token, "/api/v1/groups").body);
    group_ = GetString(GetArray(groups.root(), "items").at(0), "id");
  }
  void SetTeam(std::string_view mode) {
    const std::string team = "[" + Quote(agent_.id) + "," + Quote(inactive_.id) + "," + Quote(reporter_.id) + "," +
                             Quote(second_.id) + "]";
    ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/groups/" + group_,
                                R"({"team_ids":)" + team + R"(,"assignment":")" + std::string(mode) + R"("})"),
                          200));
  }
  // Files a ticket in the group; returns {id, assignee_id}.
  std::pair<std::string, std::string> File() {
    HttpResponse r = Post(reporter_.token, "/api/v1/tickets",
                          R"({"subject":"s","description":"d","group_id":")" + group_ + R"("})");
    EXPECT_TRUE(HasStatus(r, 201));
    Json t(r.body);
    return {GetString(t.root(), "id"), GetString(t.root(), "assignee_id")};
  }
  std::string AssigneeOf(const std::string& id) {
    return GetString(Json(GetTicket(agent_, id).body).root(), "assignee_id");
  }

  User second_, inactive_, reporter_;
  std::string group_;
};

TEST_F(AssignmentTest, RoundRobinTakesTurnsAmongEligibleMembersAndSurvivesRestarts) {
  SetTeam("round_robin");
  std::vector<std::pair<std::string, std::string>> filed;
  for (int i = 0; i < 4; ++i) filed.push_back(File());
  // The inactive agent and the reporter (no tickets:manage) are skipped.
  EXPECT_EQ(filed[0].second, agent_.id);
  EXPECT_EQ(filed[1].second, second_.id);
  EXPECT_EQ(filed[2].second, agent_.id);
  EXPECT_EQ(filed[3].second, second_.id);
  Json history(Get(agent_.token, "/api/v1/tickets/" + filed[0].first + "/history").body);
  auto items = GetArray(history.root(), "items");
  ASSERT_EQ(items.size(), 2u) << "created, then assigned in the same commit";
  EXPECT_EQ(GetString(items[1], "type"), "ticket.assigned");
  EXPECT_EQ(GetString(items[1], "details.rule"), "round_robin");
  EXPECT_EQ(GetString(items[1], "details.assignee_id"), agent_.id);

  // Reactivating the member changes future turns only: a replay decides nothing again.
  ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/users/" + inactive_.id, R"({"active":true})"), 200));
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  for (const auto& [id, assignee] : filed) EXPECT_EQ(AssigneeOf(id), assignee);
  EXPECT_EQ(File().second, agent_.id) << "the turn continues after the last pick";
  EXPECT_EQ(File().second, inactive_.id) << "reactivated: in turn again";
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());  // from the shutdown snapshot
  for (const auto& [id, assignee] : filed) EXPECT_EQ(AssigneeOf(id), assignee);
  EXPECT_EQ(File().second, second_.id);
}

TEST_F(AssignmentTest, LeastLoadedTakesTheFewestOpenTicketsThenTheLongestIdle) {
  SetTeam("least_loaded");
  auto [first, first_assignee] = File();
  EXPECT_EQ(first_assignee, agent_.id) << "nobody was ever assigned: team order";
  auto [second, second_assignee] = File();
  EXPECT_EQ(second_assignee, second_.id) << "fewer open tickets";
  // Equal loads (1 each): the one assigned longest ago.
  auto [third, third_assignee] = File();
  EXPECT_EQ(third_assignee, agent_.id);
  // Resolved tickets do not count: the first agent's load drops to 1 (second: 1).
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, first, "resolved"), 200));
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, third, "on_hold"), 200));  // on_hold still counts
  EXPECT_EQ(File().second, second_.id) << "tie at 1; the second agent was assigned longer ago";
  server_.Kill9();  // the replay assigns nothing anew
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(AssigneeOf(first), agent_.id);
  EXPECT_EQ(AssigneeOf(third), agent_.id);
}

TEST_F(AssignmentTest, MovingAnUnassignedTicketIntoTheGroupAssignsIt) {
  SetTeam("round_robin");
  const std::string id = CreateTicket(reporter_);
  EXPECT_TRUE(AssigneeOf(id).empty());
  HttpResponse moved = Patch(agent_.token, "/api/v1/tickets/" + id, R"({"group_id":")" + group_ + R"("})");
  ASSERT_TRUE(HasStatus(moved, 200));
  EXPECT_EQ(GetString(Json(moved.body).root(), "assignee_id"), agent_.id);
  // Manual groups leave tickets unassigned.
  ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/groups/" + group_, R"({"assignment":"manual"})"), 200));
  EXPECT_TRUE(File().second.empty());
}

}  // namespace
}  // namespace ticketd::integration

// End to end: conflicting commands on ONE ticket, sent at the same moment
// from many connections (issue 5, item 6). The engine decides them one after
// another, so commands made against the same version (If-Match) have exactly
// one winner and the rest get 412 VERSION_CONFLICT; a status change that is
// no longer allowed once another one won gets 409 INVALID_TRANSITION; and
// the history holds exactly the winners' events, so no update is lost.
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.h"

namespace ticketd::integration {
namespace {

constexpr int kRacers = 12;

// One request per racer: (method, target, body, If-Match or "").
struct RaceRequest {
  std::string method;
  std::string target;
  std::string body;
  std::string if_match;
};

class ConcurrencyTest : public TenantTest {
 protected:
  // Sends every request from its own connection, all released together
  // (each thread connects first, so the requests really overlap).
  std::vector<HttpResponse> Race(const User& user, const std::vector<RaceRequest>& requests) {
    std::vector<HttpResponse> responses(requests.size());
    std::latch ready(static_cast<std::ptrdiff_t>(requests.size()));
    std::vector<std::thread> threads;
    const std::uint16_t port = server().port();
    for (std::size_t i = 0; i < requests.size(); ++i) {
      threads.emplace_back([&, i, port] {
        HttpClient client("127.0.0.1", port);
        Headers auth = {{"Authorization", "Bearer " + user.token}};
        client.Request("GET", "/healthz");  // connect before the start line
        Headers headers = auth;
        if (!requests[i].if_match.empty()) headers.emplace_back("If-Match", requests[i].if_match);
        ready.arrive_and_wait();
        responses[i] = client.Request(requests[i].method, requests[i].target, requests[i].body, headers);
      });
    }
    for (auto& thread : threads) thread.join();
    return responses;
  }

  // The history items of a ticket, asserting it is readable.
  std::vector<std::pair<std::int64_t, std::string>> History(const User& user, const std::string& id) {
    std::vector<std::pair<std::int64_t, std::string>> out;  // (version, type)
    HttpResponse response = Get(user.token, "/api/v1/tickets/" + id + "/history");
    EXPECT_TRUE(HasStatus(response, 200));
    Json json(response.body);
    for (element item : GetArray(json.root(), "items"))
      out.emplace_back(GetInt(item, "version").value_or(-1), GetString(item, "type"));
    return out;
  }

  static std::int64_t VersionOf(const HttpResponse& response) {
    return GetInt(Json(response.body).root(), "version").value_or(-1);
  }
};

TEST_F(ConcurrencyTest, StatusChangesFromTheSameVersionHaveOneWinner) {
  std::string id = CreateTicket(agent_);
  const std::vector<std::string> targets = {"in_progress", "on_hold", "resolved", "cancelled"};
  std::vector<RaceRequest> requests;
  for (int i = 0; i < kRacers; ++i) {
    const std::string& to = targets[static_cast<std::size_t>(i) % targets.size()];
    requests.push_back({"POST", "/api/v1/tickets/" + id + "/status", R"({"status":")" + to + R"("})", "\"1\""});
  }
  std::vector<HttpResponse> responses = Race(agent_, requests);

  int winners = 0;
  std::string winning_status;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (responses[i].status == 200) {
      ++winners;
      winning_status = GetString(Json(responses[i].body).root(), "status");
      EXPECT_EQ(VersionOf(responses[i]), 2);
      EXPECT_EQ(responses[i].Header("ETag"), "\"2\"");
    } else {
      EXPECT_TRUE(IsError(responses[i], 412, "VERSION_CONFLICT")) << "racer " << i;
      Json json(responses[i].body);
      EXPECT_EQ(GetInt(json.root(), "error.details.expected_version"), 1);
      EXPECT_EQ(GetInt(json.root(), "error.details.current_version"), 2);
    }
  }
  ASSERT_EQ(winners, 1);
  EXPECT_EQ(StatusOf(agent_, id), winning_status);
  auto history = History(agent_, id);
  ASSERT_EQ(history.size(), 2u) << "exactly the create and the one winner";
  EXPECT_EQ(history[1].first, 2);
}

TEST_F(ConcurrencyTest, SameStatusChangeWithoutIfMatchSucceedsOnceThenIsAnInvalidTransition) {
  std::string id = CreateTicket(agent_);
  std::vector<RaceRequest> requests(
      kRacers, RaceRequest{"POST", "/api/v1/tickets/" + id + "/status", R"({"status":"resolved"})", ""});
  std::vector<HttpResponse> responses = Race(agent_, requests);
  int winners = 0;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (responses[i].status == 200) {
      ++winners;
      continue;
    }
    // The losers see the winner's state: resolved -> resolved is refused.
    ASSERT_TRUE(IsError(responses[i], 409, "INVALID_TRANSITION")) << "racer " << i;
    Json json(responses[i].body);
    EXPECT_EQ(GetString(json.root(), "error.details.from"), "resolved");
    EXPECT_EQ(GetString(json.root(), "error.details.to"), "resolved");
  }
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(History(agent_, id).size(), 2u);
}

TEST_F(ConcurrencyTest, PatchWithIfMatchHasOneWinnerAndNoLostUpdate) {
  std::string id = CreateTicket(agent_);
  // Move the ticket past version 1 so the ETag is not a lucky default.
  ASSERT_TRUE(HasStatus(Patch(agent_.token, "/api/v1/tickets/" + id, R"({"priority":"low"})"), 200));
  std::vector<RaceRequest> requests;
  for (int i = 0; i < kRacers; ++i)
    requests.push_back({"PATCH", "/api/v1/tickets/" + id,
                        R"({"subject":"Racer )" + std::to_string(i) + R"(","priority":"high"})", "\"2\""});
  std::vector<HttpResponse> responses = Race(agent_, requests);

  std::string winning_subject;
  int winners = 0;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (responses[i].status == 200) {
      ++winners;
      winning_subject = "Racer " + std::to_string(i);
      EXPECT_EQ(GetString(Json(responses[i].body).root(), "subject"), winning_subject);
      EXPECT_EQ(VersionOf(responses[i]), 3);
    } else {
      EXPECT_TRUE(IsError(responses[i], 412, "VERSION_CONFLICT")) << "racer " << i;
    }
  }
  ASSERT_EQ(winners, 1);
  HttpResponse now = GetTicket(agent_, id);
  ASSERT_TRUE(HasStatus(now, 200));
  EXPECT_EQ(GetString(Json(now.body).root(), "subject"), winning_subject);
  EXPECT_EQ(VersionOf(now), 3);
  auto history = History(agent_, id);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[2].first, 3);
}

TEST_F(ConcurrencyTest, StatusAndPatchRacingOnOneVersionHaveOneWinner) {
  std::string id = CreateTicket(agent_);
  std::vector<RaceRequest> requests;
  for (int i = 0; i < kRacers; ++i) {
    if (i % 2 == 0) {
      requests.push_back({"POST", "/api/v1/tickets/" + id + "/status", R"({"status":"on_hold"})", "\"1\""});
    } else {
      requests.push_back({"PATCH", "/api/v1/tickets/" + id, R"({"priority":"urgent"})", "\"1\""});
    }
  }
  std::vector<HttpResponse> responses = Race(agent_, requests);
  int winners = 0;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    if (responses[i].status == 200) {
      ++winners;
    } else {
      EXPECT_TRUE(IsError(responses[i], 412, "VERSION_CONFLICT")) << "racer " << i;
    }
  }
  ASSERT_EQ(winners, 1);
  HttpResponse now = GetTicket(agent_, id);
  Json json(now.body);
  const bool status_won = GetString(json.root(), "status") == "on_hold";
  const bool patch_won = GetString(json.root(), "priority") == "urgent";
  EXPECT_NE(status_won, patch_won) << "exactly one of the two kinds of change is visible: " << now.body;
  EXPECT_EQ(History(agent_, id).size(), 2u);
}

TEST_F(ConcurrencyTest, PatchesWithoutIfMatchAreSerialisedNotLost) {
  std::string id = CreateTicket(agent_);
  std::vector<RaceRequest> requests;
  for (int i = 0; i < kRacers; ++i)
    requests.push_back(
        {"PATCH", "/api/v1/tickets/" + id, R"({"description":"Writer )" + std::to_string(i) + R"("})", ""});
  std::vector<HttpResponse> responses = Race(agent_, requests);
  std::set<std::int64_t> versions;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    ASSERT_TRUE(HasStatus(responses[i], 200)) << "racer " << i;
    versions.insert(VersionOf(responses[i]));
  }
  // Every writer got its own version 2..N+1: each change applied on top of
  // the one before, none overwrote another unseen.
  ASSERT_EQ(versions.size(), static_cast<std::size_t>(kRacers));
  EXPECT_EQ(*versions.begin(), 2);
  EXPECT_EQ(*versions.rbegin(), kRacers + 1);
  auto history = History(agent_, id);
  ASSERT_EQ(history.size(), static_cast<std::size_t>(kRacers) + 1);
  for (std::size_t i = 0; i < history.size(); ++i) EXPECT_EQ(history[i].first, static_cast<std::int64_t>(i) + 1);
}

}  // namespace
}  // namespace ticketd::integration

// WORKFLOW.md SLAs against the real binary: changing a policy recomputes
// the open tickets it governs from their history (due times count from
// creation, not from the change), and simulate replays a period under a
// candidate policy without writing anything.
#include <chrono>

#include "api_fixture.h"
#include "poll_until.h"
#include "ticketd/domain/time.h"

namespace ticketd::integration {
namespace {

using test_support::PollUntil;
using Clock = std::chrono::steady_clock;
// Times are shown to the millisecond: sums of shown times may be off by a few.
constexpr double kMillisecondsShown = 4000;

class SlaPolicyChangeTest : public TenantTest {
 protected:
  std::string CreatePolicy(std::string_view body) {
    HttpResponse r = Post(tenant_.admin.token, "/api/v1/sla-policies", body);
    EXPECT_TRUE(HasStatus(r, 201)) << body;
    return GetString(Json(r.body).root(), "id");
  }
  std::string Field(const std::string& ticket_id, std::string_view path) {
    return GetString(Json(GetTicket(tenant_.admin, ticket_id).body).root(), path);
  }
  // Waits (polling the clock, no sleep) until `d` has passed since `since`.
  static void WaitPast(Clock::time_point since, std::chrono::milliseconds d) {
    ASSERT_TRUE(PollUntil([&] { return Clock::now() - since > d; }, d + std::chrono::seconds(5)));
  }
  HttpResponse Simulate(std::string_view body) {
    return Post(tenant_.admin.token, "/api/v1/sla-policies/simulate", body);
  }
};

TEST_F(SlaPolicyChangeTest, ChangingAPolicyRecomputesDueTimesFromHistory) {
  const std::string policy = CreatePolicy(
      R"({"name":"Std","order":1,"first_response":"PT1H","resolution":"PT8H","calendar":"24x7"})");
  const std::string id = CreateTicket(tenant_.admin);
  const auto created = Clock::now();
  const std::string created_at = Field(id, "created_at");
  const auto created_us = *domain::ParseRfc3339(created_at);
  EXPECT_NEAR(*domain::ParseRfc3339(Field(id, "sla.first_response_due_at")),
              created_us + 3600 * domain::kMicrosPerSecond, kMillisecondsShown);
  // On hold for a while, then open again: the pause counts in the recomputed due time.
  ASSERT_TRUE(HasStatus(ChangeStatus(tenant_.admin, id, "on_hold"), 200));
  WaitPast(created, std::chrono::milliseconds(1200));
  ASSERT_TRUE(HasStatus(ChangeStatus(tenant_.admin, id, "open"), 200));

  ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/sla-policies/" + policy,
                              R"({"first_response":"PT3S","resolution":"PT1H"})"),
                        200));
  Json history(Get(tenant_.admin.token, "/api/v1/tickets/" + id + "/history").body);
  std::vector<std::int64_t> at;
  for (auto item : GetArray(history.root(), "items")) at.push_back(*domain::ParseRfc3339(GetString(item, "at")));
  ASSERT_GE(at.size(), 3u);
  const std::int64_t paused = at[at.size() - 1] - at[at.size() - 2];  // on_hold -> open
  const std::int64_t due = *domain::ParseRfc3339(Field(id, "sla.first_response_due_at"));
  // From creation plus the pause; recomputed from now it would be over a second later.
  EXPECT_NEAR(due, created_us + 3 * domain::kMicrosPerSecond + paused, kMillisecondsShown);
  EXPECT_NEAR(*domain::ParseRfc3339(Field(id, "sla.resolution_due_at")),
              created_us + 3600 * domain::kMicrosPerSecond + paused, kMillisecondsShown);
  // The recomputed deadline fires as any other.
  ASSERT_TRUE(PollUntil([&] {
    return GetStrings(Json(GetTicket(tenant_.admin, id).body).root(), "sla.breached") ==
           std::vector<std::string>{"first_response"};
  }, std::chrono::seconds(8)));
}

TEST_F(SlaPolicyChangeTest, SimulateComparesACandidateWithWhatHappenedAndWritesNothing) {
  CreatePolicy(R"({"name":"Std","order":1,"first_response":"PT1H","resolution":"PT8H","calendar":"24x7"})");
  const std::string answered = CreateTicket(tenant_.admin);
  ASSERT_TRUE(HasStatus(ChangeStatus(tenant_.admin, answered, "in_progress"), 200));
  const std::string waiting = CreateTicket(tenant_.admin);
  const auto created = Clock::now();
  WaitPast(created, std::chrono::milliseconds(1500));

  constexpr char kPeriod[] = R"("from":"2000-01-01T00:00:00Z","to":"2100-01-01T00:00:00Z")";
  HttpResponse r = Simulate(std::string(R"({"policy":{"first_response":"PT1S","resolution":"PT1H",)"
                                        R"("calendar":"24x7"},)") + kPeriod + "}");
  ASSERT_TRUE(HasStatus(r, 200)) << r.body;
  Json json(r.body);
  EXPECT_EQ(GetInt(json.root(), "tickets"), 2);
  EXPECT_EQ(GetInt(json.root(), "breached_now"), 0);
  EXPECT_EQ(GetInt(json.root(), "would_breach"), 1);
  auto changed = GetArray(json.root(), "changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(GetString(changed[0], "id"), waiting);
  EXPECT_EQ(GetString(changed[0], "number"), Field(waiting, "number"));
  EXPECT_TRUE(GetStrings(changed[0], "before").empty());
  EXPECT_EQ(GetStrings(changed[0], "after"), std::vector<std::string>{"first_response"});
  // Read-only: nothing was appended.
  EXPECT_TRUE(GetStrings(Json(GetTicket(tenant_.admin, waiting).body).root(), "sla.breached").empty());

  // A candidate for urgent tickets only governs none of them.
  HttpResponse urgent = Simulate(std::string(R"({"policy":{"applies_to":{"priority":["urgent"]},)"
                                             R"("first_response":"PT1S","resolution":"PT1H","calendar":"24x7"},)") +
                                 kPeriod + "}");
  EXPECT_EQ(GetInt(Json(urgent.body).root(), "would_breach"), 0);
  // A period before the tickets holds none.
  HttpResponse empty = Simulate(R"({"policy":{"first_response":"PT1S","resolution":"PT1H","calendar":"24x7"},)"
                                R"("from":"2001-01-01T00:00:00Z","to":"2002-01-01T00:00:00Z"})");
  EXPECT_EQ(GetInt(Json(empty.body).root(), "tickets"), 0);
}

TEST_F(SlaPolicyChangeTest, SimulateRefusesBadInputNamingTheField) {
  auto field_of = [&](std::string_view body) {
    HttpResponse r = Simulate(body);
    EXPECT_TRUE(IsError(r, 400, "VALIDATION_ERROR")) << body << " -> " << r.body;
    return GetString(Json(r.body).root(), "error.details.field");
  };
  const std::string ok_policy = R"("policy":{"first_response":"PT1H","resolution":"PT2H","calendar":"24x7"})";
  EXPECT_EQ(field_of(R"({"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"), "policy");
  EXPECT_EQ(field_of("{" + ok_policy + R"(,"from":"2026-02-01T00:00:00Z","to":"2026-01-01T00:00:00Z"})"), "to");
  EXPECT_EQ(field_of("{" + ok_policy + R"(,"from":"2026-02-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"), "to");
  EXPECT_EQ(field_of("{" + ok_policy + R"(,"from":"yesterday","to":"2026-02-01T00:00:00Z"})"), "from");
  EXPECT_EQ(field_of("{" + ok_policy + R"(,"from":"2026-01-01T00:00:00Z"})"), "to");
  EXPECT_EQ(field_of(R"({"policy":{"first_response":"P1000Y","resolution":"PT2H","calendar":"24x7"},)"
                     R"("from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"),
            "policy.first_response");
  EXPECT_EQ(field_of(R"({"policy":{"first_response":"PT0S","resolution":"PT2H","calendar":"24x7"},)"
                     R"("from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"),
            "policy.first_response");
  EXPECT_EQ(field_of(R"({"policy":{"first_response":"PT1H","resolution":"PT2H","calendar":)"
                     R"({"timezone":"Mars/Olympus","days":["mon"],"from":"09:00","to":"17:00"}},)"
                     R"("from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"),
            "policy.calendar.timezone");
  EXPECT_EQ(field_of(R"({"policy":{"first_response":"PT1H","resolution":"PT2H"},)"
                     R"("from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"),
            "policy.calendar");
  EXPECT_EQ(field_of(R"({"policy":{"first_response":"PT1H","resolution":"PT2H","calendar":5},)"
                     R"("from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"),
            "policy.calendar");
  EXPECT_EQ(field_of(R"({"policy":"fast","from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"), "policy");
  // Staff without settings:manage may not run it.
  HttpResponse agent = Post(agent_.token, "/api/v1/sla-policies/simulate",
                            "{" + ok_policy + R"(,"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})");
  EXPECT_EQ(agent.status, 403);
}

}  // namespace
}  // namespace ticketd::integration

// WORKFLOW.md SLAs in the list, against the real binary: `sla_breached`
// keeps only tickets with an SLA (true: a target was missed), and
// `sort=sla_due` lists the earliest unmet due time first and tickets
// without one last.
#include <chrono>
#include <map>

#include "api_fixture.h"
#include "poll_until.h"

namespace ticketd::integration {
namespace {

using test_support::PollUntil;

class SlaListTest : public TenantTest {
 protected:
  std::vector<std::string> ListIds(std::string_view query) {
    HttpResponse r = Get(tenant_.admin.token, "/api/v1/tickets?" + std::string(query));
    EXPECT_TRUE(HasStatus(r, 200)) << query;
    std::vector<std::string> ids;
    Json json(r.body);
    for (auto item : GetArray(json.root(), "items")) ids.push_back(GetString(item, "id"));
    return ids;
  }
  // urgent: answer within a second (it will breach); medium: within an hour.
  bool AddUrgentAndNormalPolicies() {
    return HasStatus(Post(tenant_.admin.token, "/api/v1/sla-policies",
                          R"({"name":"Urgent","order":1,"applies_to":{"priority":["urgent"]},)"
                          R"("first_response":"PT1S","resolution":"PT2H","calendar":"24x7"})"),
                     201) &&
           HasStatus(Post(tenant_.admin.token, "/api/v1/sla-policies",
                          R"({"name":"Normal","order":2,"applies_to":{"priority":["medium"]},)"
                          R"("first_response":"PT1H","resolution":"PT8H","calendar":"24x7"})"),
                     201);
  }
  std::string Create(std::string_view priority) {
    return CreateTicket(tenant_.admin, R"({"subject":"Laptop","description":"Slow","priority":")" +
                                           std::string(priority) + R"("})");
  }
};

TEST_F(SlaListTest, BreachedFilterAndSlaDueSort) {
  // urgent: answer within a second (it will breach); medium: within an hour; low: no SLA.
  ASSERT_TRUE(AddUrgentAndNormalPolicies());
  const std::string none = Create("low");
  const std::string normal = Create("medium");
  const std::string urgent = Create("urgent");
  const std::string answered = Create("medium");  // response met: only its resolution (8 h) is unmet
  ASSERT_TRUE(HasStatus(ChangeStatus(tenant_.admin, answered, "in_progress"), 200));

  EXPECT_EQ(ListIds("sort=sla_due"), (std::vector<std::string>{urgent, normal, answered, none}));
  ASSERT_TRUE(PollUntil([&] { return ListIds("sla_breached=true") == std::vector<std::string>{urgent}; },
                        std::chrono::seconds(5)));
  std::vector<std::string> kept = ListIds("sla_breached=false&sort=number");
  EXPECT_EQ(kept, (std::vector<std::string>{normal, answered}));
  // Unmet-but-breached still counts as unmet: the missed response stays first.
  EXPECT_EQ(ListIds("sort=sla_due&page_size=1"), std::vector<std::string>{urgent});
  // Descending: latest unmet due first, none still last.
  EXPECT_EQ(ListIds("sort=-sla_due"), (std::vector<std::string>{answered, normal, urgent, none}));
  HttpResponse total = Get(tenant_.admin.token, "/api/v1/tickets?sla_breached=false");
  EXPECT_EQ(GetInt(Json(total.body).root(), "total"), 2);

  HttpResponse bad = Get(tenant_.admin.token, "/api/v1/tickets?sla_breached=maybe");
  EXPECT_TRUE(IsError(bad, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(GetString(Json(bad.body).root(), "error.details.field"), "sla_breached");
}

// Analytics' SLA attainment per priority and the digest's breach flag.
TEST_F(SlaListTest, AnalyticsAttainmentAndDigestFlagBreaches) {
  ASSERT_TRUE(AddUrgentAndNormalPolicies());
  const std::string urgent = Create("urgent");
  const std::string resolved = Create("medium");
  ASSERT_TRUE(HasStatus(ChangeStatus(tenant_.admin, resolved, "resolved"), 200));
  const std::string open = Create("medium");
  Create("low");
  ASSERT_TRUE(PollUntil([&] { return ListIds("sla_breached=true") == std::vector<std::string>{urgent}; },
                        std::chrono::seconds(5)));

  Json analytics(Get(tenant_.admin.token, "/api/v1/analytics").body);
  EXPECT_EQ(GetInt(analytics.root(), "sla_attainment.urgent.breached"), 1);
  EXPECT_EQ(GetInt(analytics.root(), "sla_attainment.urgent.met"), 0);
  EXPECT_EQ(GetInt(analytics.root(), "sla_attainment.medium.met"), 1);  // resolved in time; the open one not yet
  EXPECT_EQ(GetInt(analytics.root(), "sla_attainment.medium.breached"), 0);
  EXPECT_EQ(GetInt(analytics.root(), "sla_attainment.medium.percent"), 100);
  EXPECT_EQ(GetInt(analytics.root(), "sla_attainment.urgent.percent"), 0);
  EXPECT_TRUE(IsNull(analytics.root(), "sla_attainment.low.percent"));

  Json digest(Get(tenant_.admin.token, "/api/v1/digest").body);
  std::map<std::string, bool> flagged;
  for (auto group : GetArray(digest.root(), "groups"))
    for (auto item : GetArray(group, "tickets")) flagged[GetString(item, "id")] = GetBool(item, "sla_breached").value_or(false);
  EXPECT_TRUE(flagged.at(urgent));
  EXPECT_FALSE(flagged.at(open));
  EXPECT_EQ(flagged.count(resolved), 0u);
}

}  // namespace
}  // namespace ticketd::integration

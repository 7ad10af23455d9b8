// WORKFLOW.md SLAs and time-driven transitions against the real binary with
// second-long durations: a breach appears within a second of its due time,
// once, with its history item and metric; a kill -9 around the deadline
// and a restart after it still give exactly one breach; auto-close after a
// restart whose deadline passed while the server was down.
#include <chrono>

#include "api_fixture.h"
#include "poll_until.h"

namespace ticketd::integration {
namespace {

using test_support::PollUntil;

class SlaTimersTest : public ApiTest {
 protected:
  SlaTimersTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void TearDown() override {
    if (server_.running()) EXPECT_TRUE(server_.Stop());
  }

  // History items of `type` of the ticket.
  std::vector<std::string> ItemsOf(const std::string& ticket_id, std::string_view type) {
    HttpResponse history = Get(tenant_.admin.token, "/api/v1/tickets/" + ticket_id + "/history");
    std::vector<std::string> found;
    Json json(history.body);
    for (auto item : GetArray(json.root(), "items"))
      if (GetString(item, "type") == type) found.push_back(GetString(item, "details.target"));
    return found;
  }

  ServerProcess server_;
  Tenant tenant_;
};

TEST_F(SlaTimersTest, BreachIsAppendedOnceWithDetailsAndMetric) {
  ASSERT_TRUE(server_.Start());
  tenant_ = CreateTenant();
  ASSERT_TRUE(HasStatus(Post(tenant_.admin.token, "/api/v1/sla-policies",
                             R"({"name":"Fast","order":1,"first_response":"PT1S","resolution":"PT1H","calendar":"24x7"})"),
                        201));
  const std::string id = CreateTicket(tenant_.admin);
  HttpResponse created = Get(tenant_.admin.token, "/api/v1/tickets/" + id);
  EXPECT_FALSE(GetString(Json(created.body).root(), "sla.first_response_due_at").empty());
  ASSERT_TRUE(PollUntil([&] { return ItemsOf(id, "sla.breached").size() == 1; }, std::chrono::seconds(5)));
  HttpResponse ticket = Get(tenant_.admin.token, "/api/v1/tickets/" + id);
  EXPECT_EQ(GetStrings(Json(ticket.body).root(), "sla.breached"), std::vector<std::string>{"first_response"});
  EXPECT_NE(Get(kAdminToken, "/metrics").body.find("ticketd_sla_breaches_total{target=\"first_response\"} 1"),
            std::string::npos);
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(ItemsOf(id, "sla.breached").size(), 1u);
}

TEST_F(SlaTimersTest, ABreachDueWhileDownIsAppendedAtStartOnce) {
  ASSERT_TRUE(server_.Start());
  tenant_ = CreateTenant();
  ASSERT_TRUE(HasStatus(Post(tenant_.admin.token, "/api/v1/sla-policies",
                             R"({"name":"Fast","order":1,"first_response":"PT2S","resolution":"PT1H","calendar":"24x7"})"),
                        201));
  const std::string id = CreateTicket(tenant_.admin);
  const auto created = std::chrono::steady_clock::now();
  server_.Kill9();  // before the deadline; it passes while the server is down
  ASSERT_TRUE(PollUntil([&] { return std::chrono::steady_clock::now() - created > std::chrono::seconds(3); },
                        std::chrono::seconds(10)));
  ASSERT_TRUE(server_.Restart());
  ASSERT_TRUE(PollUntil([&] { return ItemsOf(id, "sla.breached").size() == 1; }, std::chrono::seconds(5)));
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(ItemsOf(id, "sla.breached").size(), 1u);
}

TEST_F(SlaTimersTest, AutoCloseAfterRestartHasNoActorAndAReason) {
  ASSERT_TRUE(server_.Start());
  tenant_ = CreateTenant();
  ASSERT_TRUE(HasStatus(Patch(tenant_.admin.token, "/api/v1/settings", R"({"auto_close_resolved_after":"PT1S"})"), 200));
  const std::string id = CreateTicket(tenant_.admin);
  ASSERT_TRUE(HasStatus(Post(tenant_.admin.token, "/api/v1/tickets/" + id + "/status", R"({"status":"resolved"})"), 200));
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  ASSERT_TRUE(PollUntil([&] {
    return GetString(Json(Get(tenant_.admin.token, "/api/v1/tickets/" + id).body).root(), "status") == "closed";
  }, std::chrono::seconds(5)));
  HttpResponse history = Get(tenant_.admin.token, "/api/v1/tickets/" + id + "/history");
  Json json(history.body);
  auto items = GetArray(json.root(), "items");
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(GetString(items.back(), "details.reason"), "auto_close");
  EXPECT_TRUE(items.back()["actor_id"].is_null());
}

TEST_F(SlaTimersTest, BadPoliciesAre400NamingTheField) {
  ASSERT_TRUE(server_.Start());
  tenant_ = CreateTenant();
  auto field_of = [&](std::string_view body) {
    HttpResponse r = Post(tenant_.admin.token, "/api/v1/sla-policies", body);
    EXPECT_TRUE(IsError(r, 400, "VALIDATION_ERROR")) << body;
    return GetString(Json(r.body).root(), "error.details.field");
  };
  EXPECT_EQ(field_of(R"({"name":"x","order":1,"first_response":"P1000Y","resolution":"PT1H","calendar":"24x7"})"),
            "first_response");
  EXPECT_EQ(field_of(R"({"name":"x","order":1,"first_response":"PT0S","resolution":"PT1H","calendar":"24x7"})"),
            "first_response");
  EXPECT_EQ(field_of(R"({"name":"x","order":1,"first_response":"PT1H","resolution":"soon","calendar":"24x7"})"),
            "resolution");
  EXPECT_EQ(field_of(R"({"name":"x","order":1,"first_response":"PT1H","resolution":"PT2H","calendar":)"
                     R"({"timezone":"Mars/Olympus","days":["mon"],"from":"09:00","to":"17:00"}})"),
            "calendar.timezone");
  EXPECT_EQ(field_of(R"({"name":"x","order":1,"first_response":"PT1H","resolution":"PT2H","calendar":)"
                     R"({"timezone":"UTC","days":["mon"],"from":"17:00","to":"09:00"}})"),
            "calendar.to");
  EXPECT_EQ(field_of(R"({"name":"x","order":1,"first_response":"PT1H","resolution":"PT2H","calendar":)"
                     R"({"timezone":"UTC","days":[],"from":"09:00","to":"17:00"}})"),
            "calendar.days");
}

}  // namespace
}  // namespace ticketd::integration

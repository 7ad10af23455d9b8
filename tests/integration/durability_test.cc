// End to end: durability and numbering (contract: "Server start" and the
// ticket number rule): a graceful restart and a kill -9 lose nothing that was
// acknowledged, and concurrent creates get gap-free, unique numbers.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <latch>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.h"

namespace ticketd::integration {
namespace {

std::string Number(int n) {
  char text[16];
  std::snprintf(text, sizeof text, "TKT-%06d", n);
  return text;
}

class DurabilityTest : public ApiTest {
 protected:
  DurabilityTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void SetUp() override { ASSERT_TRUE(server_.Start()); }
  void TearDown() override {
    if (server_.running()) {
      EXPECT_TRUE(server_.Stop());
    }
  }

  // id -> number of every ticket the agent can list, walking all pages.
  std::map<std::string, std::string> AllTickets(const User& user) {
    std::map<std::string, std::string> out;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
      std::string target = "/api/v1/tickets?page_size=200&sort=number";
      if (!cursor.empty()) target += "&cursor=" + UrlEncode(cursor);
      HttpResponse response = Get(user.token, target);
      EXPECT_TRUE(HasStatus(response, 200));
      Json json(response.body);
      for (element item : GetArray(json.root(), "items"))
        out[GetString(item, "id")] = GetString(item, "number");
      cursor = GetOptString(json.root(), "next_cursor").value_or("");
      if (cursor.empty()) break;
    }
    return out;
  }

  // The numbers must be exactly TKT-000001 .. TKT-<count>.
  static void ExpectGapFree(const std::map<std::string, std::string>& tickets) {
    std::vector<std::string> numbers;
    for (const auto& [id, number] : tickets) numbers.push_back(number);
    std::sort(numbers.begin(), numbers.end());
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      ASSERT_EQ(numbers[i], Number(static_cast<int>(i) + 1)) << "gap or duplicate among " << numbers.size();
    }
  }

  ServerProcess server_;
};

TEST_F(DurabilityTest, GracefulRestartKeepsEveryTicketAndContinuesNumbering) {
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  std::vector<std::string> ids;
  for (int i = 1; i <= 50; ++i) {
    HttpResponse response =
        Post(agent.token, "/api/v1/tickets",
             R"({"subject":"Ticket )" + std::to_string(i) + R"(","description":"before restart"})");
    ASSERT_TRUE(HasStatus(response, 201));
    Json json(response.body);
    ASSERT_EQ(GetString(json.root(), "number"), Number(i));
    ids.push_back(GetString(json.root(), "id"));
  }
  ASSERT_TRUE(HasStatus(ChangeStatus(agent, ids[6], "resolved"), 200));
  ASSERT_TRUE(HasStatus(Patch(agent.token, "/api/v1/tickets/" + ids[2], R"({"priority":"urgent"})"), 200));
  ASSERT_TRUE(
      HasStatus(Post(agent.token, "/api/v1/tickets/" + ids[0] + "/comments", R"({"body":"kept"})"), 201));

  ASSERT_TRUE(server_.Stop()) << "SIGTERM must drain and exit 0";
  ASSERT_TRUE(server_.Restart());

  for (int i = 1; i <= 50; ++i) {
    HttpResponse response = GetTicket(agent, ids[i - 1]);
    ASSERT_TRUE(HasStatus(response, 200)) << "ticket " << i << " lost; the user's token must survive too";
    Json json(response.body);
    EXPECT_EQ(GetString(json.root(), "number"), Number(i));
    EXPECT_EQ(GetString(json.root(), "subject"), "Ticket " + std::to_string(i));
  }
  EXPECT_EQ(StatusOf(agent, ids[6]), "resolved");
  EXPECT_EQ(GetString(Json(GetTicket(agent, ids[2]).body).root(), "priority"), "urgent");
  HttpResponse comments = Get(agent.token, "/api/v1/tickets/" + ids[0] + "/comments");
  ASSERT_TRUE(HasStatus(comments, 200));
  EXPECT_EQ(GetArray(Json(comments.body).root(), "items").size(), 1u);
  EXPECT_EQ(AllTickets(agent).size(), 50u);

  HttpResponse next = Post(agent.token, "/api/v1/tickets", R"({"subject":"After","description":""})");
  ASSERT_TRUE(HasStatus(next, 201));
  EXPECT_EQ(GetString(Json(next.body).root(), "number"), Number(51));
}

TEST_F(DurabilityTest, KillNineAfterAcknowledgedCreatesLosesNothing) {
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  std::map<std::string, std::string> acked;
  for (int i = 1; i <= 20; ++i) {
    HttpResponse response =
        Post(agent.token, "/api/v1/tickets", R"({"subject":"Sequential","description":""})");
    ASSERT_TRUE(HasStatus(response, 201));
    Json json(response.body);
    acked[GetString(json.root(), "id")] = GetString(json.root(), "number");
  }
  std::string resolved = acked.begin()->first;
  ASSERT_TRUE(HasStatus(ChangeStatus(agent, resolved, "resolved"), 200));

  // Crash right after the acknowledgements.
  server_.Kill9();
  ASSERT_TRUE(server_.Restart());
  for (const auto& [id, number] : acked) {
    HttpResponse response = GetTicket(agent, id);
    ASSERT_TRUE(HasStatus(response, 200)) << number << " was acknowledged but is gone";
    EXPECT_EQ(GetString(Json(response.body).root(), "number"), number);
  }
  EXPECT_EQ(StatusOf(agent, resolved), "resolved");

  // Crash in the middle of a write load: every acknowledged create survives.
  std::mutex mutex;
  std::condition_variable progress;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  const std::uint16_t port = server_.port();
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, port] {
      HttpClient client("127.0.0.1", port);
      Headers auth = {{"Authorization", "Bearer " + agent.token}};
      while (!stop) {
        HttpResponse response =
            client.Request("POST", "/api/v1/tickets", R"({"subject":"Under load","description":""})", auth);
        if (response.status != 201) break;  // the server is gone
        Json json(response.body);
        std::lock_guard lock(mutex);
        acked[GetString(json.root(), "id")] = GetString(json.root(), "number");
        progress.notify_all();
      }
    });
  }
  {
    std::unique_lock lock(mutex);
    bool loaded = progress.wait_for(lock, std::chrono::seconds(60), [&] { return acked.size() >= 120; });
    EXPECT_TRUE(loaded) << "only " << acked.size() << " creates acknowledged";
  }
  server_.Kill9();
  stop = true;
  for (auto& writer : writers) writer.join();

  ASSERT_TRUE(server_.Restart());
  std::map<std::string, std::string> present = AllTickets(agent);
  for (const auto& [id, number] : acked) {
    auto it = present.find(id);
    ASSERT_NE(it, present.end()) << number << " was acknowledged but is gone";
    EXPECT_EQ(it->second, number);
  }
  ExpectGapFree(present);
  HttpResponse next = Post(agent.token, "/api/v1/tickets", R"({"subject":"After crash","description":""})");
  ASSERT_TRUE(HasStatus(next, 201));
  EXPECT_EQ(GetString(Json(next.body).root(), "number"), Number(static_cast<int>(present.size()) + 1));
}

TEST_F(DurabilityTest, ConcurrentCreatesGetUniqueGapFreeNumbers) {
  constexpr int kThreads = 16;
  constexpr int kCreates = 200;
  Tenant tenant = CreateTenant();
  User agent = CreateUser(tenant, "agent");
  std::mutex mutex;
  std::map<std::string, std::string> created;
  std::vector<std::string> failures;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  const std::uint16_t port = server_.port();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t, port] {
      HttpClient client("127.0.0.1", port);
      Headers auth = {{"Authorization", "Bearer " + agent.token}};
      start.arrive_and_wait();
      for (int k = t; k < kCreates; k += kThreads) {
        HttpResponse response =
            client.Request("POST", "/api/v1/tickets",
                           R"({"subject":"Concurrent )" + std::to_string(k) + R"(","description":""})", auth);
        Json json(response.body);
        std::lock_guard lock(mutex);
        if (response.status != 201) {
          failures.push_back(std::to_string(response.status) + " " + response.body);
          continue;
        }
        created[GetString(json.root(), "id")] = GetString(json.root(), "number");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(failures.empty()) << failures.size() << " creates failed, first: " << failures.front();
  ASSERT_EQ(created.size(), static_cast<std::size_t>(kCreates)) << "duplicate ids";
  ExpectGapFree(created);
  EXPECT_EQ(AllTickets(agent), created);

  // And the numbering survives a restart.
  ASSERT_TRUE(server_.Stop());
  ASSERT_TRUE(server_.Restart());
  EXPECT_EQ(AllTickets(agent), created);
  HttpResponse next = Post(agent.token, "/api/v1/tickets", R"({"subject":"Next","description":""})");
  ASSERT_TRUE(HasStatus(next, 201));
  EXPECT_EQ(GetString(Json(next.body).root(), "number"), Number(kCreates + 1));
}

}  // namespace
}  // namespace ticketd::integration

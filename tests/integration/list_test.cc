// End to end: GET /api/v1/tickets (contract: list query): every filter,
// repeated and comma-separated values, full text, sort orders, page size
// bounds, cursor walks and the reporter's restricted view.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "api_fixture.h"

namespace ticketd::integration {
namespace {

using IdSet = std::set<std::string>;

class ListTest : public TenantTest {
 protected:
  // One page of `query` (the part after '?'); items' ids in answer order.
  std::vector<std::string> Page(const User& user, const std::string& query,
                                std::string* next_cursor = nullptr, std::int64_t* total = nullptr) {
    HttpResponse response = Get(user.token, "/api/v1/tickets?" + query);
    EXPECT_TRUE(HasStatus(response, 200)) << query;
    Json json(response.body);
    std::vector<std::string> ids;
    for (element item : GetArray(json.root(), "items")) ids.push_back(GetString(item, "id"));
    EXPECT_TRUE(Has(json.root(), "next_cursor")) << query;
    EXPECT_TRUE(Has(json.root(), "total")) << query;
    if (next_cursor) *next_cursor = GetOptString(json.root(), "next_cursor").value_or("");
    if (total) *total = GetInt(json.root(), "total").value_or(-1);
    return ids;
  }
  // The ids matching `query` (one page of up to 200), checking `total`.
  IdSet Matching(const User& user, const std::string& query) {
    std::string cursor;
    std::int64_t total = -1;
    std::vector<std::string> ids = Page(user, "page_size=200&" + query, &cursor, &total);
    EXPECT_TRUE(cursor.empty()) << query;
    EXPECT_EQ(total, static_cast<std::int64_t>(ids.size())) << query;
    return IdSet(ids.begin(), ids.end());
  }
};

TEST_F(ListTest, EveryFilterWithRepeatedAndCommaSeparatedValues) {
  User r1 = CreateUser(tenant_, "reporter");
  User r2 = CreateUser(tenant_, "reporter");
  User agent2 = CreateUser(tenant_, "agent");
  std::string asset = CreateAsset(tenant_.admin, "Laptop 7");
  std::string t1 =
      CreateTicket(r1, R"({"subject":"One","description":"","priority":"low","category":"network"})");
  std::string t2 = CreateTicket(
      r2,
      R"({"subject":"Two","description":"","priority":"high","category":"hardware","type":"service_request"})");
  std::string t3 = CreateTicket(r1, R"({"subject":"Three","description":"","priority":"urgent"})");
  std::string t4 = CreateTicket(agent_, R"({"subject":"Four","description":"","category":"network"})");
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + t2 + "/claim", ""), 200));
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, t3, "on_hold"), 200));
  ASSERT_TRUE(
      HasStatus(Patch(agent_.token, "/api/v1/tickets/" + t3, R"({"asset_id":")" + asset + R"("})"), 200));
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + t4 + "/assignment",
                             R"({"assignee_id":")" + agent2.id + R"("})"),
                        200));
  ASSERT_TRUE(HasStatus(ChangeStatus(agent_, t4, "resolved"), 200));

  EXPECT_EQ(Matching(agent_, ""), (IdSet{t1, t2, t3, t4}));
  EXPECT_EQ(Matching(agent_, "status=open"), (IdSet{t1}));
  EXPECT_EQ(Matching(agent_, "status=in_progress,on_hold"), (IdSet{t2, t3}));
  EXPECT_EQ(Matching(agent_, "status=in_progress&status=resolved"), (IdSet{t2, t4}));
  EXPECT_EQ(Matching(agent_, "status=closed"), IdSet{});
  EXPECT_EQ(Matching(agent_, "priority=low"), (IdSet{t1}));
  EXPECT_EQ(Matching(agent_, "priority=high,urgent"), (IdSet{t2, t3}));
  EXPECT_EQ(Matching(agent_, "priority=medium&priority=low"), (IdSet{t1, t4}));
  EXPECT_EQ(Matching(agent_, "assignee_id=none"), (IdSet{t1, t3}));
  EXPECT_EQ(Matching(agent_, "assignee_id=" + agent_.id), (IdSet{t2}));
  EXPECT_EQ(Matching(agent_, "assignee_id=none," + agent2.id), (IdSet{t1, t3, t4}));
  EXPECT_EQ(Matching(agent_, "assignee_id=" + agent_.id + "&assignee_id=" + agent2.id), (IdSet{t2, t4}));
  EXPECT_EQ(Matching(agent_, "category=network"), (IdSet{t1, t4}));
  EXPECT_EQ(Matching(agent_, "category=network,hardware"), (IdSet{t1, t2, t4}));
  EXPECT_EQ(Matching(agent_, "category=hardware&category=nothing"), (IdSet{t2}));
  EXPECT_EQ(Matching(agent_, "asset_id=" + asset), (IdSet{t3}));
  EXPECT_EQ(Matching(agent_, "type=service_request"), (IdSet{t2}));
  EXPECT_EQ(Matching(agent_, "type=incident"), (IdSet{t1, t3, t4}));
  EXPECT_EQ(Matching(agent_, "type=incident,service_request"), (IdSet{t1, t2, t3, t4}));
  EXPECT_EQ(Matching(agent_, "reporter_id=" + r1.id), (IdSet{t1, t3}));
  EXPECT_EQ(Matching(agent_, "reporter_id=" + r1.id + "," + r2.id), (IdSet{t1, t2, t3}));
  EXPECT_EQ(Matching(agent_, "reporter_id=" + r2.id + "&reporter_id=" + agent_.id), (IdSet{t2, t4}));
  EXPECT_EQ(Matching(agent_, "status=open,on_hold&reporter_id=" + r1.id + "&priority=urgent"), (IdSet{t3}));

  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets?status=done"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets?priority=critical"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets?type=bug"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets?assignee_id=nobody"), 400, "VALIDATION_ERROR"));
  HttpResponse unknown = Get(agent_.token, "/api/v1/tickets?colour=red");
  ASSERT_TRUE(IsError(unknown, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(GetString(Json(unknown.body).root(), "error.details.field"), "colour");
}

TEST_F(ListTest, FullTextIsCaseInsensitivePrefixMatchOverSubjectAndDescription) {
  std::string laptop =
      CreateTicket(agent_, R"({"subject":"Laptop battery swelling","description":"Keyboard feels warm"})");
  std::string german =
      CreateTicket(agent_, R"({"subject":"Störung im Netzwerk","description":"Seit heute früh"})");
  std::string printer =
      CreateTicket(agent_, R"({"subject":"Printer 100% broken","description":"Tried *everything*"})");
  auto q = [&](const std::string& text) { return Matching(agent_, "q=" + UrlEncode(text)); };
  EXPECT_EQ(q("laptop"), (IdSet{laptop}));
  EXPECT_EQ(q("LAPTOP"), (IdSet{laptop}));
  EXPECT_EQ(q("batt"), (IdSet{laptop})) << "prefix of a word";
  EXPECT_EQ(q("keyboard"), (IdSet{laptop})) << "description words count";
  EXPECT_EQ(q("laptop KEYBOARD"), (IdSet{laptop})) << "every word, subject or description";
  EXPECT_EQ(q("laptop printer"), IdSet{}) << "every word must match";
  EXPECT_EQ(q("störung"), (IdSet{german}));
  EXPECT_EQ(q("STÖRUNG"), (IdSet{german})) << "Latin-1 letters fold";
  EXPECT_EQ(q("netz"), (IdSet{german}));
  EXPECT_EQ(q("früh"), (IdSet{german}));
  EXPECT_EQ(q("100%"), (IdSet{printer}));
  EXPECT_EQ(q("everything"), (IdSet{printer}));
  EXPECT_EQ(q("zebra"), IdSet{});
  EXPECT_EQ(q("*"), (IdSet{laptop, german, printer})) << "no words: no filter";
}

TEST_F(ListTest, QueueOrderIsPriorityThenDueDateThenLeastRecentlyUpdated) {
  auto make = [&](const std::string& subject, const std::string& priority, const std::string& due) {
    std::string body = R"({"subject":")" + subject + R"(","description":"","priority":")" + priority + "\"";
    if (!due.empty()) body += R"(,"due_at":")" + due + "\"";
    return CreateTicket(agent_, body + "}");
  };
  std::string low_a = make("low a", "low", "");
  std::string urgent_late = make("urgent late", "urgent", "2035-01-01T00:00:00Z");
  std::string urgent_soon = make("urgent soon", "urgent", "2030-01-01T00:00:00Z");
  std::string high = make("high", "high", "");
  std::string urgent_none = make("urgent none", "urgent", "");
  std::string medium_overdue = make("medium overdue", "medium", "2020-01-01T00:00:00Z");
  std::string urgent_overdue = make("urgent overdue", "urgent", "2020-06-01T00:00:00Z");
  std::string low_b = make("low b", "low", "");
  const std::vector<std::string> expected = {urgent_overdue, urgent_soon,    urgent_late, urgent_none,
                                             high,           medium_overdue, low_a,       low_b};
  EXPECT_EQ(Page(agent_, "sort=queue"), expected);
  EXPECT_EQ(Page(agent_, ""), expected) << "queue is the default";

  // Touching low_a makes it the most recently updated of the two lows.
  ASSERT_TRUE(HasStatus(Patch(agent_.token, "/api/v1/tickets/" + low_a, R"({"description":"bump"})"), 200));
  std::vector<std::string> after = Page(agent_, "sort=queue");
  ASSERT_EQ(after.size(), expected.size());
  EXPECT_EQ(after[6], low_b);
  EXPECT_EQ(after[7], low_a);
}

TEST_F(ListTest, SortByCreatedAtBothWays) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) {
    created.push_back(
        CreateTicket(agent_, R"({"subject":"n)" + std::to_string(i) + R"(","description":""})"));
  }
  // Reverse the queue-relevant fields so that created_at alone explains the order.
  ASSERT_TRUE(HasStatus(Patch(agent_.token, "/api/v1/tickets/" + created[0], R"({"priority":"low"})"), 200));
  EXPECT_EQ(Page(agent_, "sort=created_at"), created);
  std::vector<std::string> reversed(created.rbegin(), created.rend());
  EXPECT_EQ(Page(agent_, "sort=-created_at"), reversed);
}

TEST_F(ListTest, PageSizeMustBeFrom1To200) {
  CreateTicket(agent_);
  for (const char* bad : {"0", "201", "-1", "abc", "1e2", "99999999999999999999"}) {
    HttpResponse response = Get(agent_.token, std::string("/api/v1/tickets?page_size=") + bad);
    ASSERT_TRUE(IsError(response, 400, "VALIDATION_ERROR")) << "page_size=" << bad;
    EXPECT_EQ(GetString(Json(response.body).root(), "error.details.field"), "page_size");
  }
  EXPECT_EQ(Page(agent_, "page_size=1").size(), 1u);
  EXPECT_EQ(Page(agent_, "page_size=200").size(), 1u);
}

TEST_F(ListTest, CursorWalkVisitsEveryTicketExactlyOnce) {
  std::vector<std::string> all;
  for (int i = 0; i < 8; ++i) all.push_back(CreateTicket(agent_));
  for (const char* sort : {"queue", "-created_at", "subject"}) {
    SCOPED_TRACE(sort);
    std::vector<std::string> seen;
    std::vector<std::size_t> sizes;
    std::string cursor;
    for (int page = 0; page < 10; ++page) {
      std::string query = std::string("page_size=3&sort=") + sort;
      if (!cursor.empty()) query += "&cursor=" + UrlEncode(cursor);
      std::int64_t total = -1;
      std::vector<std::string> ids = Page(agent_, query, &cursor, &total);
      EXPECT_EQ(total, 8);
      sizes.push_back(ids.size());
      seen.insert(seen.end(), ids.begin(), ids.end());
      if (cursor.empty()) break;
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 2}));
    EXPECT_EQ(IdSet(seen.begin(), seen.end()), IdSet(all.begin(), all.end()));
    EXPECT_EQ(seen.size(), all.size()) << "no ticket twice";
  }
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets?cursor=not-a-cursor"), 400, "VALIDATION_ERROR"));
  std::string cursor;
  Page(agent_, "page_size=3&sort=queue", &cursor);
  ASSERT_FALSE(cursor.empty());
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets?sort=-created_at&cursor=" + UrlEncode(cursor)), 400,
                      "VALIDATION_ERROR"))
      << "a cursor carries its sort";
}

TEST_F(ListTest, ReportersSeeOnlyTheirOwnTickets) {
  User r1 = CreateUser(tenant_, "reporter");
  User r2 = CreateUser(tenant_, "reporter");
  User manager = CreateUser(tenant_, "manager");
  std::string a = CreateTicket(r1);
  std::string b = CreateTicket(r1);
  std::string c = CreateTicket(r2);
  std::string d = CreateTicket(agent_);
  EXPECT_EQ(Matching(r1, ""), (IdSet{a, b}));
  EXPECT_EQ(Matching(r2, ""), (IdSet{c}));
  EXPECT_EQ(Matching(r1, "reporter_id=" + r2.id), IdSet{});
  EXPECT_EQ(Matching(r1, "reporter_id=" + r1.id + "," + r2.id), (IdSet{a, b}));
  EXPECT_EQ(Matching(r1, "q=printer"), (IdSet{a, b}));
  EXPECT_EQ(Matching(agent_, ""), (IdSet{a, b, c, d}));
  EXPECT_EQ(Matching(manager, ""), (IdSet{a, b, c, d}));
  EXPECT_EQ(Matching(tenant_.admin, ""), (IdSet{a, b, c, d}));
}

}  // namespace
}  // namespace ticketd::integration

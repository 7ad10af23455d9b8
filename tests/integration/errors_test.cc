// End to end: the error contract (contract: "Errors"): validation errors
// name the field, unknown routes and methods, the body size limit, and
// hostile input that must never produce a 5xx or take the server down.
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "api_fixture.h"

namespace ticketd::integration {
namespace {

constexpr std::size_t kBodyLimit = 1 << 20;

struct BadBody {
  std::string body;
  std::string field;  // the field details.field must name
};

class ErrorsTest : public TenantTest {
 protected:
  void SetUp() override {
    TenantTest::SetUp();
    if (HasFatalFailure()) return;
    ticket_ = CreateTicket(agent_);
  }

  // 400 VALIDATION_ERROR naming `field` in details.field.
  ::testing::AssertionResult NamesField(const HttpResponse& response, const std::string& field) {
    ::testing::AssertionResult error = IsError(response, 400, "VALIDATION_ERROR");
    if (!error) return error;
    std::string named = GetString(Json(response.body).root(), "error.details.field");
    if (named == field) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "details.field is '" << named << "', expected '" << field << "': " << response.body;
  }

  // What hostile input may get: success or a JSON client error, never a 5xx
  // or a dropped connection.
  static ::testing::AssertionResult Survives(const HttpResponse& response) {
    if (response.status == 200 || response.status == 201) return ::testing::AssertionSuccess();
    if (response.status == 400) return IsError(response, 400, "VALIDATION_ERROR");
    return ::testing::AssertionFailure()
           << "status " << response.status << ": " << response.body.substr(0, 300);
  }

  void ExpectHealthy() {
    EXPECT_TRUE(HasStatus(http().Request("GET", "/healthz"), 200)) << server().StderrTail();
  }

  std::string ticket_;
};

TEST_F(ErrorsTest, MalformedJsonIsAValidationError) {
  for (const char* body : {"{\"subject\":", "not json", "{\"subject\":\"x\" \"description\":\"\"}", "[1,2]",
                           "\"a string\"", "null", "42", "{", "}", "{\"subject\":\"x\",}"}) {
    EXPECT_TRUE(IsError(Post(agent_.token, "/api/v1/tickets", body), 400, "VALIDATION_ERROR")) << body;
  }
  EXPECT_TRUE(IsError(Call("POST", agent_.token, "/api/v1/tickets"), 400, "VALIDATION_ERROR"))
      << "empty body";
}

TEST_F(ErrorsTest, WrongTypesNameTheField) {
  const std::vector<BadBody> cases = {
      {R"({"subject":5,"description":""})", "subject"},
      {R"({"subject":null,"description":""})", "subject"},
      {R"({"subject":"s","description":[]})", "description"},
      {R"({"subject":"s","description":"","priority":3})", "priority"},
      {R"({"subject":"s","description":"","type":true})", "type"},
      {R"({"subject":"s","description":"","category":{}})", "category"},
      {R"({"subject":"s","description":"","due_at":"tomorrow"})", "due_at"},
      {R"({"subject":"s","description":"","due_at":12})", "due_at"},
      {R"({"subject":"s","description":"","assignee_id":"not-a-uuid"})", "assignee_id"},
      {R"({"subject":"s","description":"","asset_id":42})", "asset_id"},
      {R"({"subject":"s","description":"","severity":"high"})", "severity"},
  };
  for (const BadBody& bad : cases)
    EXPECT_TRUE(NamesField(Post(agent_.token, "/api/v1/tickets", bad.body), bad.field)) << bad.body;
  EXPECT_TRUE(NamesField(
      Post(agent_.token, "/api/v1/tickets/" + ticket_ + "/comments", R"({"body":"x","internal":"yes"})"),
      "internal"));
  EXPECT_TRUE(
      NamesField(Patch(agent_.token, "/api/v1/tickets/" + ticket_, R"({"priority":["high"]})"), "priority"));
}

TEST_F(ErrorsTest, UnknownEnumValuesNameTheField) {
  EXPECT_TRUE(NamesField(
      Post(agent_.token, "/api/v1/tickets", R"({"subject":"s","description":"","priority":"critical"})"),
      "priority"));
  EXPECT_TRUE(NamesField(
      Post(agent_.token, "/api/v1/tickets", R"({"subject":"s","description":"","type":"bug"})"), "type"));
  EXPECT_TRUE(NamesField(
      Post(agent_.token, "/api/v1/tickets", R"({"subject":"s","description":"","priority":"HIGH"})"),
      "priority"));
  EXPECT_TRUE(NamesField(Post(agent_.token, "/api/v1/tickets/" + ticket_ + "/status", R"({"status":"done"})"),
                         "status"));
  EXPECT_TRUE(NamesField(Post(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/users",
                              R"({"name":"N","email":"n@example.com","role":"superuser"})"),
                         "role"));
}

TEST_F(ErrorsTest, MissingRequiredFieldsNameTheField) {
  std::string path = "/api/v1/tickets/" + ticket_;
  EXPECT_TRUE(
      NamesField(Post(agent_.token, "/api/v1/tickets", R"({"description":"no subject"})"), "subject"));
  EXPECT_TRUE(NamesField(Post(agent_.token, path + "/comments", R"({"internal":false})"), "body"));
  EXPECT_TRUE(NamesField(Post(agent_.token, path + "/status", R"({"comment":"hm"})"), "status"));
  EXPECT_TRUE(NamesField(Post(agent_.token, path + "/assignment", "{}"), "assignee_id"));
  EXPECT_TRUE(NamesField(Post(kAdminToken, "/api/v1/tenants", "{}"), "name"));
  EXPECT_TRUE(NamesField(
      Post(kAdminToken, "/api/v1/tenants/" + tenant_.id + "/users", R"({"name":"N","role":"agent"})"),
      "email"));
  EXPECT_TRUE(NamesField(Post(tenant_.admin.token, "/api/v1/assets", R"({"kind":"laptop"})"), "name"));
}

TEST_F(ErrorsTest, OverLongFieldsNameTheField) {
  auto subject = [&](const std::string& text) {
    return Post(agent_.token, "/api/v1/tickets", R"({"subject":)" + Quote(text) + R"(,"description":""})");
  };
  EXPECT_TRUE(NamesField(subject(std::string(201, 'x')), "subject"));
  EXPECT_TRUE(NamesField(subject(""), "subject"));
  EXPECT_TRUE(HasStatus(subject(std::string(200, 'x')), 201));
  std::string e_acute = "\xC3\xA9";
  std::string two_hundred;
  for (int i = 0; i < 200; ++i) two_hundred += e_acute;
  EXPECT_TRUE(HasStatus(subject(two_hundred), 201)) << "limits count code points, not bytes";
  EXPECT_TRUE(NamesField(subject(two_hundred + e_acute), "subject"));
  EXPECT_TRUE(NamesField(Post(agent_.token, "/api/v1/tickets",
                              R"({"subject":"s","description":)" + Quote(std::string(20001, 'd')) + "}"),
                         "description"));
  EXPECT_TRUE(
      NamesField(Post(agent_.token, "/api/v1/tickets",
                      R"({"subject":"s","description":"","category":)" + Quote(std::string(65, 'c')) + "}"),
                 "category"));
  EXPECT_TRUE(NamesField(Post(agent_.token, "/api/v1/tickets/" + ticket_ + "/comments",
                              R"({"body":)" + Quote(std::string(20001, 'b')) + "}"),
                         "body"));
  EXPECT_TRUE(
      NamesField(Post(kAdminToken, "/api/v1/tenants", R"({"name":"T","ticket_prefix":"TOOLONGPREFIX"})"),
                 "ticket_prefix"));
}

TEST_F(ErrorsTest, UnknownRoutesAre404Json) {
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/nothing-here"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(http().Request("GET", "/nothing"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v2/tickets"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets/not-a-uuid"), 404, "NOT_FOUND"));
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets/" + ticket_ + "/nope"), 404, "NOT_FOUND"));
}

TEST_F(ErrorsTest, WrongMethodIs405WithAllow) {
  HttpResponse users = Delete(agent_.token, "/api/v1/users");
  EXPECT_TRUE(IsError(users, 405, "METHOD_NOT_ALLOWED"));
  EXPECT_NE(users.Header("Allow").find("GET"), std::string::npos) << users.Header("Allow");
  HttpResponse tickets = Call("PUT", agent_.token, "/api/v1/tickets", "{}");
  EXPECT_TRUE(IsError(tickets, 405, "METHOD_NOT_ALLOWED"));
  EXPECT_NE(tickets.Header("Allow").find("POST"), std::string::npos) << tickets.Header("Allow");
  EXPECT_TRUE(IsError(Call("BREW", agent_.token, "/api/v1/tickets/" + ticket_), 405, "METHOD_NOT_ALLOWED"));
}

TEST_F(ErrorsTest, BodyOverOneMebibyteIs413) {
  HttpClient client("127.0.0.1", server().port());
  Headers auth = {{"Authorization", "Bearer " + agent_.token}};
  HttpResponse announced = client.RequestHeadOnly("POST", "/api/v1/tickets", kBodyLimit + 1, auth);
  EXPECT_TRUE(IsError(announced, 413, "PAYLOAD_TOO_LARGE")) << "answered from the header alone";

  std::string big = R"({"subject":"s","description":")" + std::string(kBodyLimit, 'x') + "\"}";
  HttpResponse sent = client.Request("POST", "/api/v1/tickets", big, auth);
  EXPECT_TRUE(IsError(sent, 413, "PAYLOAD_TOO_LARGE"));

  // Exactly at the limit the body is read, and the description is too long.
  std::string prefix = R"({"subject":"s","description":")";
  std::string at_limit = prefix + std::string(kBodyLimit - prefix.size() - 2, 'x') + "\"}";
  ASSERT_EQ(at_limit.size(), kBodyLimit);
  HttpResponse boundary = client.Request("POST", "/api/v1/tickets", at_limit, auth);
  EXPECT_TRUE(NamesField(boundary, "description"));
  ExpectHealthy();
}

TEST_F(ErrorsTest, HostileStringsAreStoredVerbatim) {
  const std::vector<std::string> hostile = {"'; DROP TABLE tickets; --",
                                            "%",
                                            "*",
                                            "100% * _ \\ ? [a-z] (x|y)",
                                            "a' OR '1'='1",
                                            "\") or (\"",
                                            "<script>alert(1)</script>",
                                            "eq.1&or=(id.gt.0)",
                                            "../../etc/passwd",
                                            "🔥 fire 火事",
                                            "NULL"};
  for (const std::string& text : hostile) {
    SCOPED_TRACE(text);
    HttpResponse created = Post(agent_.token, "/api/v1/tickets",
                                R"({"subject":)" + Quote(text) + R"(,"description":)" + Quote(text) + "}");
    ASSERT_TRUE(HasStatus(created, 201));
    std::string id = GetString(Json(created.body).root(), "id");
    Json read(GetTicket(agent_, id).body);
    EXPECT_EQ(GetString(read.root(), "subject"), text);
    EXPECT_EQ(GetString(read.root(), "description"), text);
    EXPECT_TRUE(HasStatus(Get(agent_.token, "/api/v1/tickets?q=" + UrlEncode(text)), 200));
    EXPECT_TRUE(Survives(Get(agent_.token, "/api/v1/tickets?category=" + UrlEncode(text))));
  }
  ExpectHealthy();
}

TEST_F(ErrorsTest, ControlCharactersAndNulBytes) {
  HttpResponse nul_subject =
      Post(agent_.token, "/api/v1/tickets", R"({"subject":"a\u0000b","description":""})");
  EXPECT_TRUE(NamesField(nul_subject, "subject")) << "subjects have no control characters";
  HttpResponse nul_description =
      Post(agent_.token, "/api/v1/tickets", R"({"subject":"nul inside","description":"x\u0000y\u001fz"})");
  ASSERT_TRUE(Survives(nul_description));
  if (nul_description.status == 201) {
    std::string id = GetString(Json(nul_description.body).root(), "id");
    EXPECT_EQ(GetString(Json(GetTicket(agent_, id).body).root(), "description"), std::string("x\0y\x1fz", 5));
  }
  EXPECT_TRUE(Survives(Get(agent_.token, "/api/v1/tickets?q=%00")));
  EXPECT_TRUE(Survives(Get(agent_.token, "/api/v1/tickets?q=a%00b%0d%0aSet-Cookie:%20x")));
  EXPECT_TRUE(IsError(Get(agent_.token, "/api/v1/tickets?status=%00"), 400, "VALIDATION_ERROR"));
  HttpResponse nul_id = Get(agent_.token, "/api/v1/tickets/%00");
  EXPECT_TRUE(nul_id.status == 404 ? IsError(nul_id, 404, "NOT_FOUND")
                                   : IsError(nul_id, 400, "VALIDATION_ERROR"));
  ExpectHealthy();
}

TEST_F(ErrorsTest, LongAndInvalidUtf8QueryParameters) {
  std::string long_q(5000, 'a');
  for (int i = 0; i < 5000; i += 7) long_q[i] = ' ';
  EXPECT_TRUE(HasStatus(Get(agent_.token, "/api/v1/tickets?q=" + UrlEncode(long_q)), 200));
  EXPECT_TRUE(HasStatus(Get(agent_.token, "/api/v1/tickets?q=" + std::string(5000, 'z')), 200));
  for (const char* query : {"q=%FF%FE", "q=%C3%28", "q=%E2%82", "q=%ED%A0%80", "category=%FF", "q=%", "q=%G1",
                            "q=%%%", "sort=%FF", "cursor=%FF%00", "q=\xFF\xFE"}) {
    EXPECT_TRUE(Survives(Get(agent_.token, std::string("/api/v1/tickets?") + query))) << query;
  }
  ExpectHealthy();
}

TEST_F(ErrorsTest, InvalidUtf8InABodyIsAValidationError) {
  for (const std::string& bad : {std::string("\xFF\xFE"), std::string("\xC0\xAF"), std::string("abc\xE2\x82"),
                                 std::string("\xED\xA0\x80")}) {
    HttpResponse response =
        Post(agent_.token, "/api/v1/tickets", R"({"subject":")" + bad + R"(","description":""})");
    EXPECT_TRUE(IsError(response, 400, "VALIDATION_ERROR"));
  }
  EXPECT_TRUE(Survives(Post(agent_.token, "/api/v1/tickets", R"({"subject":"\ud800","description":""})")));
  ExpectHealthy();
}

TEST_F(ErrorsTest, RandomlyMangledBodiesNeverBreakTheServer) {
  const std::uint32_t seed = std::random_device{}();
  std::cout << "RandomlyMangledBodiesNeverBreakTheServer seed " << seed << std::endl;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 random(seed);
  const std::string valid =
      R"({"subject":"Mangled","description":"d","priority":"high","type":"incident","category":"c",)"
      R"("due_at":"2030-01-01T00:00:00Z"})";
  for (int round = 0; round < 300; ++round) {
    std::string body = valid;
    int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      std::size_t at = random() % body.size();
      switch (random() % 4) {
        case 0:
          body[at] = static_cast<char>(random() % 256);
          break;
        case 1:
          body.erase(at, 1 + random() % 8);
          break;
        case 2:
          body.insert(at, 1, "{}[]\":,\\\x00\xFF"[random() % 10]);
          break;
        default:
          body.resize(at);
      }
    }
    HttpResponse response = Post(agent_.token, "/api/v1/tickets", body);
    ASSERT_TRUE(Survives(response)) << "round " << round << " body " << body;
  }
  ExpectHealthy();
}

}  // namespace
}  // namespace ticketd::integration

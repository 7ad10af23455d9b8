// Request targets and framing a hostile client tried (issue 10, item 9):
// one spelling per route (no encoded '/', no encoded letters, no empty
// segments), one Authorization header, HEAD like GET without a body, and the
// absolute-form target RFC 9112 requires servers to accept.
#include "api_fixture.h"

namespace ticketd::integration {
namespace {

class PathsTest : public TenantTest {
 protected:
  HttpResponse Raw(std::string_view method, std::string_view target, const Headers& headers,
                   std::string_view body = {}) {
    return http().Request(method, target, body, headers);
  }
  Headers Admin() const { return {{"Authorization", std::string("Bearer ") + kAdminToken}}; }
};

TEST_F(PathsTest, OtherSpellingsOfARouteAreNotFound) {
  const std::string backup_body = R"({"to":"/nonexistent-parent/never"})";
  for (std::string_view target : {"/api/v1/admin%2Fbackups", "/api/v1/admin%2fbackups", "/api/v1/%61dmin/backups",
                                  "/api/v1/admin//backups", "/api/v1/admin/backups/", "//api/v1/admin/backups",
                                  "/api/v1/admin/./backups", "/api%2Fv1/admin/backups"}) {
    HttpResponse r = Raw("POST", target, Admin(), backup_body);
    EXPECT_TRUE(IsError(r, 404, "NOT_FOUND")) << target;
  }
  const std::string id = CreateTicket(agent_);
  Headers agent = {{"Authorization", "Bearer " + agent_.token}};
  for (const std::string& target : {"/api/v1/tickets/" + id + "%2Fhistory", "/api/v1/tickets/" + id + "/history/",
                                    "/api/v1/tickets//" + id, "/api/v1/tickets/" + id + "%2fcomments"})
    EXPECT_TRUE(IsError(Raw("GET", target, agent), 404, "NOT_FOUND")) << target;
  EXPECT_TRUE(IsError(Raw("GET", "/healthz/", {}), 404, "NOT_FOUND"));
  // The one spelling still works, and an encoded id is still that id.
  EXPECT_TRUE(HasStatus(Raw("GET", "/api/v1/tickets/" + id + "/history", agent), 200));
  std::string encoded_id = id;
  encoded_id.replace(0, 1, "%" + std::string(1, "0123456789ABCDEF"[id[0] >> 4]) + "0123456789ABCDEF"[id[0] & 15]);
  EXPECT_TRUE(HasStatus(Raw("GET", "/api/v1/tickets/" + encoded_id, agent), 200)) << encoded_id;
}

TEST_F(PathsTest, TwoAuthorizationHeadersAreRefused) {
  Headers two = {{"Authorization", "Bearer " + agent_.token}, {"Authorization", "Bearer " + manager_.token}};
  EXPECT_TRUE(IsError(Raw("GET", "/api/v1/tickets", two), 400, "VALIDATION_ERROR"));
  Headers same_twice = {{"Authorization", "Bearer " + agent_.token}, {"Authorization", "Bearer " + agent_.token}};
  EXPECT_TRUE(IsError(Raw("GET", "/api/v1/tickets", same_twice), 400, "VALIDATION_ERROR"));
}

TEST_F(PathsTest, HeadAnswersLikeGetWithoutABody) {
  const std::string id = CreateTicket(agent_);
  Headers agent = {{"Authorization", "Bearer " + agent_.token}};
  for (const std::string& target : {"/api/v1/tickets/" + id, std::string("/api/v1/tickets"), std::string("/healthz")}) {
    HttpResponse get = Raw("GET", target, agent);
    HttpResponse head = Raw("HEAD", target, agent);
    ASSERT_TRUE(HasStatus(get, 200)) << target;
    ASSERT_TRUE(HasStatus(head, 200)) << target;
    EXPECT_TRUE(head.body.empty()) << target;
    EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size())) << target;
    EXPECT_EQ(head.Header("Content-Type"), get.Header("Content-Type")) << target;
    EXPECT_EQ(head.Header("ETag"), get.Header("ETag")) << target;
  }
  EXPECT_EQ(Raw("HEAD", "/api/v1/tickets", {}).status, 401);
  // The connection is still in step after HEAD answers.
  EXPECT_TRUE(HasStatus(Raw("GET", "/api/v1/tickets/" + id, agent), 200));
  // A route without GET: 405 lists what it allows.
  HttpResponse no_get = Raw("HEAD", "/api/v1/erasure", agent);
  EXPECT_EQ(no_get.status, 405);
}

TEST_F(PathsTest, AbsoluteFormTargetsAreAccepted) {
  const std::string id = CreateTicket(agent_);
  Headers agent = {{"Authorization", "Bearer " + agent_.token}};
  const std::string origin = "http://127.0.0.1:" + std::to_string(server().port());
  HttpResponse absolute = Raw("GET", origin + "/api/v1/tickets/" + id, agent);
  ASSERT_TRUE(HasStatus(absolute, 200));
  EXPECT_EQ(absolute.body, GetTicket(agent_, id).body);
  EXPECT_TRUE(HasStatus(Raw("GET", origin + "/api/v1/tickets?page_size=1", agent), 200));
  EXPECT_TRUE(HasStatus(Raw("GET", "HTTP://example.org/healthz", {}), 200));
  EXPECT_TRUE(IsError(Raw("GET", origin + "/api/v1/%61dmin/backups", agent), 404, "NOT_FOUND"));
}

}  // namespace
}  // namespace ticketd::integration

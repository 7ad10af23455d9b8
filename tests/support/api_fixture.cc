#include "api_fixture.h"

#include <atomic>
#include <cstdlib>
#include <sstream>

#ifndef TICKETD_BINARY
#define TICKETD_BINARY ""
#endif

namespace ticketd::integration {
namespace {

std::atomic<int> email_counter{0};

std::string Describe(const HttpResponse& response) {
  if (response.status == 0) return "no response (" + response.body + ")";
  std::string body = response.body.size() > 600 ? response.body.substr(0, 600) + "..." : response.body;
  return "status " + std::to_string(response.status) + " body " + body;
}

}  // namespace

std::string TicketdBinary() {
  if (const char* env = std::getenv("TICKETD_BINARY"); env && *env) return env;
  return TICKETD_BINARY;
}

double MetricValue(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (line.starts_with(name + " ")) return std::stod(line.substr(name.size() + 1));
  return -1;
}

::testing::AssertionResult HasStatus(const HttpResponse& response, int status) {
  if (response.status == status) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected status " << status << ", got " << Describe(response);
}

::testing::AssertionResult IsError(const HttpResponse& response, int status, std::string_view code) {
  if (response.status != status)
    return ::testing::AssertionFailure()
           << "expected " << status << " " << code << ", got " << Describe(response);
  Json json(response.body);
  if (!json.ok()) return ::testing::AssertionFailure() << "error body is not JSON: " << Describe(response);
  std::string actual = GetString(json.root(), "error.code");
  if (actual != code)
    return ::testing::AssertionFailure() << "expected error.code " << code << ", got " << Describe(response);
  if (!GetOptString(json.root(), "error.message"))
    return ::testing::AssertionFailure() << "error.message missing: " << Describe(response);
  std::optional<element> details = At(json.root(), "error.details");
  if (!details || !details->is_object())
    return ::testing::AssertionFailure() << "error.details is not an object: " << Describe(response);
  return ::testing::AssertionSuccess();
}

HttpClient& ApiTest::http() {
  if (!http_ || http_port_ != server().port()) {
    http_port_ = server().port();
    http_ = std::make_unique<HttpClient>("127.0.0.1", http_port_);
  }
  return *http_;
}

HttpResponse ApiTest::Call(std::string_view method, std::string_view token, std::string_view target,
                           std::string_view body, const Headers& extra) {
  Headers headers = extra;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + std::string(token));
  return http().Request(method, target, body, headers);
}

Tenant ApiTest::CreateTenant(std::string_view prefix) {
  Tenant tenant;
  std::string body = R"({"name":"Acme )" + std::to_string(++email_counter) + "\"";
  if (!prefix.empty()) body += R"(,"ticket_prefix":)" + Quote(prefix);
  body += "}";
  HttpResponse response = Post(kAdminToken, "/api/v1/tenants", body);
  EXPECT_TRUE(HasStatus(response, 201)) << "creating a tenant";
  Json json(response.body);
  tenant.id = GetString(json.root(), "id");
  tenant.prefix = GetString(json.root(), "ticket_prefix");
  tenant.admin = CreateUser(tenant, "admin");
  return tenant;
}

User ApiTest::CreateUser(const Tenant& tenant, std::string_view role, std::string_view department) {
  User user;
  user.role = role;
  const std::string n = std::to_string(++email_counter);
  user.email = "user" + n + "@example.com";
  std::string body =
      R"({"name":"User )" + n + R"(","email":)" + Quote(user.email) + R"(,"role":)" + Quote(role);
  if (!department.empty()) body += R"(,"department":)" + Quote(department);
  body += "}";
  HttpResponse response = Post(kAdminToken, "/api/v1/tenants/" + tenant.id + "/users", body);
  EXPECT_TRUE(HasStatus(response, 201)) << "creating a " << role << " user";
  Json json(response.body);
  user.id = GetString(json.root(), "id");
  user.token = GetString(json.root(), "token");
  EXPECT_FALSE(user.token.empty()) << "user creation must show the token";
  return user;
}

std::string ApiTest::CreateTicket(const User& user, std::string_view body) {
  HttpResponse response = Post(user.token, "/api/v1/tickets", body);
  EXPECT_TRUE(HasStatus(response, 201)) << "creating a ticket with " << body;
  return GetString(Json(response.body).root(), "id");
}

std::string ApiTest::CreateAsset(const User& admin, std::string_view name) {
  HttpResponse response =
      Post(admin.token, "/api/v1/assets", R"({"name":)" + Quote(name) + R"(,"kind":"laptop"})");
  EXPECT_TRUE(HasStatus(response, 201)) << "creating an asset";
  return GetString(Json(response.body).root(), "id");
}

HttpResponse ApiTest::ChangeStatus(const User& user, std::string_view id, std::string_view status) {
  return Post(user.token, "/api/v1/tickets/" + std::string(id) + "/status",
              R"({"status":)" + Quote(status) + "}");
}

std::string ApiTest::StatusOf(const User& user, std::string_view id) {
  HttpResponse response = GetTicket(user, id);
  if (response.status != 200) return {};
  return GetString(Json(response.body).root(), "status");
}

ServerProcess* SharedServerTest::shared_ = nullptr;
::testing::AssertionResult* SharedServerTest::started_ = nullptr;

void SharedServerTest::SetUpTestSuite() {
  shared_ = new ServerProcess(TicketdBinary(), kAdminToken);
  started_ = new ::testing::AssertionResult(shared_->Start());
}

void SharedServerTest::TearDownTestSuite() {
  if (shared_->running()) {
    EXPECT_TRUE(shared_->Stop()) << "the shared server must exit 0 on SIGTERM";
  }
  delete shared_;
  delete started_;
  shared_ = nullptr;
  started_ = nullptr;
}

void SharedServerTest::SetUp() {
  ASSERT_TRUE(*started_) << "ticketd did not start";
  ASSERT_TRUE(HasStatus(http().Request("GET", "/healthz"), 200)) << "ticketd stopped answering; stderr:\n"
                                                                 << shared_->StderrTail();
}

void OwnServerTest::SetUp() {
  ASSERT_TRUE(server_.Start());
  tenant_ = CreateTenant();
  agent_ = CreateUser(tenant_, "agent");
}

void OwnServerTest::TearDown() {
  if (server_.running()) {
    EXPECT_TRUE(server_.Stop());
  }
}

void TenantTest::SetUp() {
  SharedServerTest::SetUp();
  if (HasFatalFailure()) return;
  tenant_ = CreateTenant();
  agent_ = CreateUser(tenant_, "agent");
  reporter_ = CreateUser(tenant_, "reporter");
  manager_ = CreateUser(tenant_, "manager");
}

}  // namespace ticketd::integration

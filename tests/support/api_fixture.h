// Test fixtures for the end-to-end tests: a running ticketd plus helpers
// that speak the HTTP contract (tenants, users, assets, tickets) and assert
// on error bodies.
//
// ApiTest holds the helpers and talks to whatever server() returns.
// SharedServerTest starts one server per test suite (each test makes its own
// tenant, so tests never see each other's data); DurabilityTest-style
// fixtures own their server and restart or kill it.
//
// Thread-safety: the helpers use the fixture's one HttpClient, so call them
// from the test's thread; worker threads make their own HttpClient.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "http_client.h"
#include "json_helpers.h"
#include "server_process.h"

namespace ticketd::integration {

inline constexpr char kAdminToken[] = "it-platform-admin-token-5b1e0c7d";

// The ticketd binary: $TICKETD_BINARY, else the path CMake compiled in
// (empty when the target did not exist at configure time).
std::string TicketdBinary();

struct User {
  std::string id;
  std::string token;
  std::string role;
  std::string email;
};

struct Tenant {
  std::string id;
  std::string prefix;
  User admin;  // the tenant's first user, role admin
};

// Passes when `response` has `status`; otherwise says what came back.
::testing::AssertionResult HasStatus(const HttpResponse& response, int status);
// The value of an unlabelled sample in Prometheus text (/metrics), or -1 if absent.
double MetricValue(const std::string& text, const std::string& name);
// Passes when `response` is `status` with a contract error body whose
// error.code is `code` (and which has a message and a details object).
::testing::AssertionResult IsError(const HttpResponse& response, int status, std::string_view code);

class ApiTest : public ::testing::Test {
 protected:
  virtual ServerProcess& server() = 0;

  // The fixture's client, reconnected when the server's port changed.
  HttpClient& http();

  HttpResponse Call(std::string_view method, std::string_view token, std::string_view target,
                    std::string_view body = {}, const Headers& extra = {});
  HttpResponse Get(std::string_view token, std::string_view target) { return Call("GET", token, target); }
  HttpResponse Post(std::string_view token, std::string_view target, std::string_view body) {
    return Call("POST", token, target, body);
  }
  HttpResponse Patch(std::string_view token, std::string_view target, std::string_view body,
                     const Headers& extra = {}) {
    return Call("PATCH", token, target, body, extra);
  }
  HttpResponse Delete(std::string_view token, std::string_view target) {
    return Call("DELETE", token, target);
  }

  // A new tenant (platform admin) and its admin user. `prefix` empty: default.
  Tenant CreateTenant(std::string_view prefix = {});
  // A new user of `tenant`, created by the platform admin.
  User CreateUser(const Tenant& tenant, std::string_view role, std::string_view department = {});
  // POST /api/v1/tickets with `body`; expects 201 and returns the ticket id.
  std::string CreateTicket(const User& user, std::string_view body);
  // A ticket with just a subject and description.
  std::string CreateTicket(const User& user) {
    return CreateTicket(user, R"({"subject":"Printer on fire","description":"Third floor"})");
  }
  std::string CreateAsset(const User& admin, std::string_view name);
  HttpResponse GetTicket(const User& user, std::string_view id) {
    return Get(user.token, "/api/v1/tickets/" + std::string(id));
  }
  HttpResponse ChangeStatus(const User& user, std::string_view id, std::string_view status);
  // The ticket's current status as `user` sees it ("" if unreadable).
  std::string StatusOf(const User& user, std::string_view id);

 private:
  std::unique_ptr<HttpClient> http_;
  std::uint16_t http_port_ = 0;
};

// One server for the whole suite, stopped (and required to exit 0) at the end.
class SharedServerTest : public ApiTest {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;
  ServerProcess& server() override { return *shared_; }

 private:
  static ServerProcess* shared_;
  static ::testing::AssertionResult* started_;
};

// A shared server plus, per test, a fresh tenant with an agent, a reporter
// and a manager (and the tenant's admin).
class TenantTest : public SharedServerTest {
 protected:
  void SetUp() override;

  Tenant tenant_;
  User agent_;
  User reporter_;
  User manager_;
};

// A server of its own per test (to stop, restart or inspect its data dir),
// with a fresh tenant and an agent; stopped (exit 0 required) at the end.
class OwnServerTest : public ApiTest {
 protected:
  OwnServerTest() : server_(TicketdBinary(), kAdminToken) {}
  ServerProcess& server() override { return server_; }
  void SetUp() override;
  void TearDown() override;

  ServerProcess server_;
  Tenant tenant_;
  User agent_;
};

}  // namespace ticketd::integration

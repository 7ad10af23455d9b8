// schemas/openapi.yaml against a real validator and against the router
// (issue 10, item 13): it must parse and validate as OpenAPI (swagger-cli,
// installed by ops/install-deps), and every route the router serves must be
// documented with a success answer (and 401 where a token is needed), so a
// new route cannot land undocumented. A missing validator fails the test.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "router.h"

namespace ticketd::api {
namespace {

struct ShellRun {
  int exit_code = -1;
  std::string out;
};

ShellRun Shell(const std::string& command) {
  ShellRun run;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string SwaggerCli() {
  const std::string cli = TICKETD_SWAGGER_CLI;
  EXPECT_FALSE(cli.empty()) << "swagger-cli was not found when CMake configured: run ops/install-deps "
                               "(it installs @apidevtools/swagger-cli into /opt/ticketd-tools), then reconfigure";
  return cli;
}

// "/api/v1/tenants/{tenant_id}/users" -> "/api/v1/tenants/{}/users".
std::string Shape(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '{') {
      out.push_back(path[i]);
      continue;
    }
    out += "{}";
    i = path.find('}', i);
    if (i == std::string_view::npos) break;
  }
  return out;
}

TEST(OpenApi, ValidatesWithSwaggerCli) {
  const std::string cli = SwaggerCli();
  ASSERT_FALSE(cli.empty());
  ShellRun run = Shell(cli + " validate " + TICKETD_OPENAPI_YAML);
  EXPECT_EQ(run.exit_code, 0) << run.out;
}

TEST(OpenApi, DocumentsEveryServedRouteWithItsAnswers) {
  const std::string cli = SwaggerCli();
  ASSERT_FALSE(cli.empty());
  ShellRun bundled = Shell(cli + " bundle --type json " + TICKETD_OPENAPI_YAML);
  ASSERT_EQ(bundled.exit_code, 0) << bundled.out;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(bundled.out).get(doc), simdjson::SUCCESS) << bundled.out.substr(0, 500);
  simdjson::dom::object paths;
  ASSERT_EQ(doc["paths"].get(paths), simdjson::SUCCESS);
  for (const ServedRoute& route : ServedRoutes()) {
    std::string method(route.method);
    std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::string label = std::string(route.method) + " " + std::string(route.path);
    simdjson::dom::object operation;
    bool found = false;
    for (auto [documented, item] : paths) {
      if (Shape(documented) != Shape(route.path)) continue;
      found = item[method].get(operation) == simdjson::SUCCESS;
    }
    ASSERT_TRUE(found) << label << " is served but not documented in schemas/openapi.yaml";
    simdjson::dom::object responses;
    ASSERT_EQ(operation["responses"].get(responses), simdjson::SUCCESS) << label << " documents no responses";
    bool success = false, unauthenticated = false;
    for (auto [code, response] : responses) {
      success |= !code.empty() && code[0] == '2';
      unauthenticated |= code == "401";
    }
    EXPECT_TRUE(success) << label << " documents no 2xx answer";
    if (route.authenticated) {
      EXPECT_TRUE(unauthenticated) << label << " needs a token but documents no 401";
    }
  }
}

}  // namespace
}  // namespace ticketd::api

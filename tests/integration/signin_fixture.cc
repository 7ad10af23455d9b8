#include "signin_fixture.h"

namespace ticketd::integration {

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

User CreateUserWithPassword(HttpClient& http, const std::string& tenant_id, std::string_view email,
                            std::string_view role, std::string_view password) {
  std::string body = R"({"name":"Person","email":)" + JsonQuote(email) + R"(,"role":)" + JsonQuote(role) +
                     R"(,"password":)" + JsonQuote(password) + "}";
  HttpResponse response = http.Request("POST", "/api/v1/tenants/" + tenant_id + "/users", body,
                                       {{"Authorization", std::string("Bearer ") + kAdminToken}});
  EXPECT_TRUE(HasStatus(response, 201)) << "creating a user with a password";
  Json json(response.body);
  return User{GetString(json.root(), "id"), GetString(json.root(), "token"), std::string(role), std::string(email)};
}

HttpResponse Login(HttpClient& http, std::string_view tenant, std::string_view email, std::string_view password) {
  return http.Request("POST", "/api/v1/auth/login",
                      R"({"tenant":)" + JsonQuote(tenant) + R"(,"email":)" + JsonQuote(email) + R"(,"password":)" +
                          JsonQuote(password) + "}");
}

SignedIn MustLogin(HttpClient& http, std::string_view tenant, std::string_view email, std::string_view password) {
  HttpResponse response = Login(http, tenant, email, password);
  EXPECT_TRUE(HasStatus(response, 200)) << "login of " << email;
  Json json(response.body);
  return SignedIn{GetString(json.root(), "access_token"), GetString(json.root(), "refresh_token")};
}

HttpResponse Refresh(HttpClient& http, std::string_view refresh_token) {
  return http.Request("POST", "/api/v1/auth/refresh", R"({"refresh_token":)" + JsonQuote(refresh_token) + "}");
}

HttpResponse WithBearer(HttpClient& http, std::string_view method, std::string_view token, std::string_view target,
                        std::string_view body) {
  return http.Request(method, target, body, {{"Authorization", "Bearer " + std::string(token)}});
}

}  // namespace ticketd::integration

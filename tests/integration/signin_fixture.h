// Sign-in helpers for the end-to-end tests (ACCESS.md): tenants with slugs,
// users with passwords, login/refresh/logout calls and the pieces of a JWT.
#pragma once

#include <string>
#include <string_view>

#include "api_fixture.h"

namespace ticketd::integration {

inline constexpr char kPassword[] = "correct horse battery staple";

struct SignedIn {
  std::string access;
  std::string refresh;
};

// POST /api/v1/tenants/{id}/users with a password; returns the user.
User CreateUserWithPassword(HttpClient& http, const std::string& tenant_id, std::string_view email,
                            std::string_view role, std::string_view password = kPassword);
HttpResponse Login(HttpClient& http, std::string_view tenant, std::string_view email,
                   std::string_view password = kPassword);
// Login that must succeed; the pair from it.
SignedIn MustLogin(HttpClient& http, std::string_view tenant, std::string_view email,
                   std::string_view password = kPassword);
HttpResponse Refresh(HttpClient& http, std::string_view refresh_token);
HttpResponse WithBearer(HttpClient& http, std::string_view method, std::string_view token, std::string_view target,
                        std::string_view body = {});
// A JSON string literal of `text` (quotes and backslashes escaped).
std::string JsonQuote(std::string_view text);

}  // namespace ticketd::integration

// The web app's session cookies (WEB-UI.md "Sign-in and safety").
//
// Two HttpOnly, SameSite=Strict cookies, Secure when the request came over
// https (X-Forwarded-Proto: https from the proxy in front):
//   tkd_refresh  the refresh token itself, Path=/api/v1/auth: only the
//                refresh and logout routes ever receive it.
//   tkd_page     tks_<base64url(tenant id || SHA-256 of that refresh token)>,
//                Path=/: lets page requests find the session to answer 403
//                for a closed portal. It is no credential: the API accepts
//                no hash, and the pages hold no data.
// The access token never enters a cookie: the page keeps it in memory.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "http_types.h"
#include "ticketd/domain/id.h"

namespace ticketd::projections {
class DirectoryReadModel;
}

namespace ticketd::api {

// Sets both cookies for a freshly issued refresh token.
void SetSessionCookies(const Request& request, Response& response, std::string_view refresh_token,
                       std::int64_t max_age_seconds);
// Expires both cookies (logout, or a refresh refused).
void ClearSessionCookies(const Request& request, Response& response);
// The tkd_refresh cookie's value, if sent.
std::optional<std::string> RefreshTokenCookie(const Request& request);

struct PageSession {
  domain::Id tenant_id;
  domain::Id user_id;
};
// The session behind a page request's tkd_page cookie, if it still exists.
std::optional<PageSession> FindPageSession(const Request& request, const projections::DirectoryReadModel& directory);

}  // namespace ticketd::api

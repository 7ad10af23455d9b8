#include "web_session.h"

#include <cstring>

#include "signin.h"
#include "ticketd/base/encoding.h"
#include "ticketd/base/sha256.h"
#include "ticketd/projections/directory_read_model.h"

namespace ticketd::api {
namespace {

constexpr std::string_view kRefreshCookie = "tkd_refresh";
constexpr std::string_view kPageCookie = "tkd_page";
constexpr std::string_view kPageCookiePrefix = "tks_";

bool OverHttps(const Request& request) {
  auto it = request.find("X-Forwarded-Proto");
  if (it == request.end()) return false;
  std::string_view proto(it->value().data(), it->value().size());
  return proto.starts_with("https") || proto.starts_with("HTTPS");
}

std::string CookieLine(const Request& request, std::string_view name, std::string_view value, std::string_view path,
                       std::int64_t max_age) {
  std::string line(name);
  line += '=';
  line += value;
  line += "; Path=";
  line += path;
  line += "; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Strict";
  if (OverHttps(request)) line += "; Secure";
  return line;
}

std::optional<std::string> CookieValue(const Request& request, std::string_view name) {
  for (auto it = request.find(http::field::cookie); it != request.end() && it->name() == http::field::cookie; ++it) {
    std::string_view rest(it->value().data(), it->value().size());
    while (!rest.empty()) {
      std::size_t end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      std::size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::string PageCookieValue(const domain::Id& tenant_id, std::string_view refresh_token) {
  const auto hash = Sha256(refresh_token);
  std::string raw(reinterpret_cast<const char*>(tenant_id.bytes.data()), 16);
  raw.append(reinterpret_cast<const char*>(hash.data()), hash.size());
  return std::string(kPageCookiePrefix) + Base64UrlEncode(raw);
}

}  // namespace

void SetSessionCookies(const Request& request, Response& response, std::string_view refresh_token,
                       std::int64_t max_age_seconds) {
  std::optional<domain::Id> tenant_id = TenantOfToken(kRefreshTokenPrefix, refresh_token);
  if (!tenant_id) return;
  response.insert(http::field::set_cookie,
                  CookieLine(request, kRefreshCookie, refresh_token, "/api/v1/auth", max_age_seconds));
  response.insert(http::field::set_cookie, CookieLine(request, kPageCookie, PageCookieValue(*tenant_id, refresh_token),
                                                      "/", max_age_seconds));
}

void ClearSessionCookies(const Request& request, Response& response) {
  response.insert(http::field::set_cookie, CookieLine(request, kRefreshCookie, "", "/api/v1/auth", 0));
  response.insert(http::field::set_cookie, CookieLine(request, kPageCookie, "", "/", 0));
}

std::optional<std::string> RefreshTokenCookie(const Request& request) {
  std::optional<std::string> value = CookieValue(request, kRefreshCookie);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::optional<PageSession> FindPageSession(const Request& request, const projections::DirectoryReadModel& directory) {
  std::optional<std::string> value = CookieValue(request, kPageCookie);
  if (!value || !value->starts_with(kPageCookiePrefix) || value->size() > 128) return std::nullopt;
  std::optional<std::string> raw = Base64UrlDecode(std::string_view(*value).substr(kPageCookiePrefix.size()));
  if (!raw || raw->size() != 48) return std::nullopt;
  PageSession session;
  std::memcpy(session.tenant_id.bytes.data(), raw->data(), 16);
  domain::Sha256Bytes hash{};
  std::memcpy(hash.data(), raw->data() + 16, hash.size());
  auto owner = directory.FindRefresh(session.tenant_id, hash);
  if (!owner) return std::nullopt;
  session.user_id = owner->second;
  return session;
}

}  // namespace ticketd::api

// The web app's routes (WEB-UI.md): the page paths answer the app's HTML
// shell after checking the page session (cookie, web_session.h) against the
// portal flags and the caller's permissions, so a closed page answers 403
// itself; /assets/<build>/<file> serves the compiled-in files. The pages
// then work only through the /api/v1 routes, plus one read the pages need:
// a ticket by its number (the page URLs carry numbers).
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/engine.h"
#include "ticketd/domain/permissions.h"
#include "ticketd/domain/ticket.h"
#include "web_assets.h"
#include "web_session.h"

namespace ticketd::api {
namespace {

using domain::Permission;

// What a page requires of the signed-in caller.
struct PageGate {
  std::optional<domain::Feature> portal;  // a feature flag that switches the page off
  std::vector<Permission> any_of;         // empty: any signed-in user
  std::string_view closed_message;
};

std::string Escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A page of its own for a refusal: no script, so it needs none of the app.
Response RefusalPage(http::status status, std::string_view title, std::string_view message) {
  Response response{status, 11};
  SetSecurityHeaders(response);
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  response.body() = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>" + Escaped(title) + " · ticketd</title><link rel=\"stylesheet\" href=\"/assets/" +
                    std::string(WebBuildId()) + "/app.css\"></head><body><main class=\"refusal\"><h1>" +
                    Escaped(title) + "</h1><p>" + Escaped(message) +
                    "</p><p><a href=\"/\">Home</a> · <a href=\"/login\">Sign in as someone else</a></p>"
                    "</main></body></html>";
  return response;
}

Response Redirect(std::string_view location) {
  Response response{http::status::see_other, 11};
  SetSecurityHeaders(response);
  response.set(http::field::location, std::string(location));
  response.set(http::field::cache_control, "no-store");
  return response;
}

// "/login?next=<the page>", the page percent-encoded.
std::string LoginRedirect(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string location = "/login?next=";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.') {
      location += static_cast<char>(c);
    } else {
      location += '%';
      location += kHex[c >> 4];
      location += kHex[c & 15];
    }
  }
  return location;
}

Response Shell(const Request& request) {
  const WebAsset* shell = FindWebAsset("index.html");
  if (!shell) return NotFound("the web app is not built in");
  return WebAssetResponse(request, *shell, WebCaching::kRevalidate);
}

struct SignedIn {
  domain::User user;
  domain::PermissionSet permissions;
};

std::optional<SignedIn> PageCaller(Services& services, const CallPtr& call) {
  const auto& directory = services.engine.directory();
  std::optional<PageSession> session = FindPageSession(call->request, directory);
  if (!session) return std::nullopt;
  std::optional<domain::User> user = directory.GetUser(session->tenant_id, session->user_id);
  if (!user || !user->active || user->erased_at) return std::nullopt;
  return SignedIn{*user, UserPermissions(directory, *user)};
}

void ServeGatedPage(Services& services, const CallPtr& call, const PageGate& gate) {
  std::optional<SignedIn> caller = PageCaller(services, call);
  if (!caller) return call->Reply(Redirect(LoginRedirect(call->target.path)));
  if (gate.portal && !services.engine.directory().FeatureEnabled(caller->user.tenant_id, *gate.portal))
    return call->Reply(RefusalPage(http::status::forbidden, "This portal is switched off", gate.closed_message));
  bool allowed = gate.any_of.empty();
  for (Permission permission : gate.any_of) allowed = allowed || caller->permissions.Has(permission);
  if (!allowed)
    return call->Reply(RefusalPage(http::status::forbidden, "Not allowed",
                                   "Your account does not have the permission this page needs."));
  call->Reply(Shell(call->request));
}

constexpr std::string_view kDeskClosed =
    "The end-user portal (end_user_portal) is switched off for your organization. Ask your IT staff.";
constexpr std::string_view kAgentClosed =
    "The agent workspace (agent_portal) is switched off for your organization. An admin can switch it on.";

}  // namespace

void HandleWebRoot(Services& services, const CallPtr& call) {
  std::optional<SignedIn> caller = PageCaller(services, call);
  if (!caller) return call->Reply(Redirect("/login"));
  const bool staff = caller->permissions.Has(Permission::kTicketsManage) ||
                     caller->permissions.Has(Permission::kTicketsReadAll);
  const bool workspace_on =
      services.engine.directory().FeatureEnabled(caller->user.tenant_id, domain::Feature::kAgentPortal);
  call->Reply(Redirect(staff && workspace_on ? "/tickets" : "/desk"));
}

void HandleWebLogin(Services&, const CallPtr& call) { call->Reply(Shell(call->request)); }

void HandleWebDesk(Services& services, const CallPtr& call) {
  ServeGatedPage(services, call, {domain::Feature::kEndUserPortal, {}, kDeskClosed});
}

void HandleWebDeskNew(Services& services, const CallPtr& call) {
  ServeGatedPage(services, call, {domain::Feature::kEndUserPortal, {Permission::kTicketsCreate}, kDeskClosed});
}

void HandleWebQueue(Services& services, const CallPtr& call) {
  ServeGatedPage(services, call,
                 {domain::Feature::kAgentPortal, {Permission::kTicketsManage, Permission::kTicketsReadAll}, kAgentClosed});
}

void HandleWebAdmin(Services& services, const CallPtr& call) {
  ServeGatedPage(services, call, {std::nullopt, {Permission::kSettingsManage, Permission::kUsersManage}, {}});
}

void HandleWebReports(Services& services, const CallPtr& call) {
  ServeGatedPage(services, call, {std::nullopt, {Permission::kReportsRead}, {}});
}

void HandleWebAsset(Services&, const CallPtr& call) {
  const std::string& build = call->path_params.at(0);
  const WebAsset* asset = FindWebAsset(call->path_params.at(1));
  if (!asset || asset->name.ends_with(".html")) return call->Reply(NotFound("no such asset"));
  // An old build's URL: serve today's file, but do not let it be cached for long.
  const WebCaching caching = build == WebBuildId() ? WebCaching::kImmutable : WebCaching::kRevalidate;
  call->Reply(WebAssetResponse(call->request, *asset, caching));
}

Response UnknownPathResponse(const Request& request, std::string_view path) {
  const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
  const bool api = path.starts_with("/api/") || path.starts_with("/public/") || path == "/api" || path == "/public";
  const bool wants_html = request[http::field::accept].find("text/html") != std::string_view::npos;
  if (get && !api && wants_html) return RefusalPage(http::status::not_found, "Not found", "There is no page here.");
  return NotFound("no route for " + std::string(path));
}

void HandleGetTicketByNumber(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  const std::string& text = call->path_params.at(0);
  const std::size_t dash = text.rfind('-');
  std::int64_t number = 0;
  bool digits = dash != std::string::npos && dash + 1 < text.size() && text.size() - dash <= 19;
  for (std::size_t i = dash + 1; digits && i < text.size(); ++i) {
    digits = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    number = number * 10 + (text[i] - '0');
  }
  projections::TicketPtr ticket = digits ? services.engine.tickets().GetByNumber(call->actor.tenant_id, number) : nullptr;
  if (!ticket || ticket->number_text != text || !domain::CanReadTicket(call->actor, *ticket))
    return call->Reply(NotFound("no such ticket"));
  call->Reply(TicketResponse(http::status::ok, *ticket, call->actor));
}

}  // namespace ticketd::api

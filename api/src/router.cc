#include "router.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "api_key_usage.h"
#include "ticketd/app/engine.h"
#include "handlers.h"
#include "handlers_attachments.h"
#include "ticketd/app/ids.h"
#include "ticketd/base/sha256.h"
#include "ticketd/app/metrics.h"
#include "multipart_parser.h"
#include "query_string.h"
#include "responses.h"
#include "signin.h"
#include "upload_limits.h"

namespace ticketd::api {
namespace {

// kApiKey: /public/v1, API keys only (ACCESS.md); `scope` is what the key needs.
enum class Access { kPublic, kAuthenticated, kApiKey };

struct Route {
  http::verb method;
  std::string_view pattern;  // "{}" matches one segment
  const char* name;
  HandlerFn handler;
  Access access;
  domain::ApiScope scope = domain::ApiScope::kTicketsRead;  // kApiKey routes only
  BodyRoom body = BodyRoom::kJson;
};

// MAIL.md: a raw mail may be up to 10 MiB.
constexpr std::size_t kMaxInboundMailBytes = 10u << 20;
// ATTACHMENTS.md's upload routes, in the table below.
constexpr auto kUploadRoute = BodyRoom::kMultipartUpload;
constexpr auto kNoScope = domain::ApiScope::kTicketsRead;  // /api/v1 routes need no API-key scope

constexpr Route kRoutes[] = {
    {http::verb::get, "/healthz", "/healthz", HandleHealth, Access::kPublic},
    {http::verb::get, "/metrics", "/metrics", HandleMetrics, Access::kPublic},
    {http::verb::post, "/api/v1/tenants", "/api/v1/tenants", HandleCreateTenant, Access::kAuthenticated},
    {http::verb::post, "/api/v1/tenants/{}/users", "/api/v1/tenants/{id}/users", HandleCreateUser,
     Access::kAuthenticated},
    {http::verb::get, "/api/v1/users", "/api/v1/users", HandleListUsers, Access::kAuthenticated},
    {http::verb::post, "/api/v1/assets", "/api/v1/assets", HandleCreateAsset, Access::kAuthenticated},
    {http::verb::get, "/api/v1/assets", "/api/v1/assets", HandleListAssets, Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/assets/{}", "/api/v1/assets/{id}", HandleDeleteAsset,
     Access::kAuthenticated},
    {http::verb::post, "/api/v1/tickets", "/api/v1/tickets", HandleCreateTicket, Access::kAuthenticated, kNoScope,
     kUploadRoute},
    {http::verb::get, "/api/v1/tickets", "/api/v1/tickets", HandleListTickets, Access::kAuthenticated},
    {http::verb::get, "/api/v1/tickets/{}", "/api/v1/tickets/{id}", HandleGetTicket, Access::kAuthenticated},
    {http::verb::patch, "/api/v1/tickets/{}", "/api/v1/tickets/{id}", HandlePatchTicket,
     Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/tickets/{}", "/api/v1/tickets/{id}", HandleDeleteTicket,
     Access::kAuthenticated},
    {http::verb::post, "/api/v1/tickets/{}/status", "/api/v1/tickets/{id}/status", HandleChangeStatus,
     Access::kAuthenticated},
    {http::verb::post, "/api/v1/tickets/{}/assignment", "/api/v1/tickets/{id}/assignment", HandleAssign,
     Access::kAuthenticated},
    {http::verb::post, "/api/v1/tickets/{}/claim", "/api/v1/tickets/{id}/claim", HandleClaim,
     Access::kAuthenticated},
    {http::verb::post, "/api/v1/tickets/{}/comments", "/api/v1/tickets/{id}/comments", HandleAddComment,
     Access::kAuthenticated, kNoScope, kUploadRoute},
    {http::verb::get, "/api/v1/tickets/{}/comments", "/api/v1/tickets/{id}/comments", HandleListComments,
     Access::kAuthenticated},
    {http::verb::get, "/api/v1/tickets/{}/history", "/api/v1/tickets/{id}/history", HandleHistory,
     Access::kAuthenticated},
    {http::verb::get, "/api/v1/digest", "/api/v1/digest", HandleDigest, Access::kAuthenticated},
    {http::verb::get, "/api/v1/analytics", "/api/v1/analytics", HandleAnalytics, Access::kAuthenticated},
    {http::verb::get, "/api/v1/audit/head", "/api/v1/audit/head", HandleAuditHead, Access::kAuthenticated},
    {http::verb::post, "/api/v1/erasure", "/api/v1/erasure", HandleErasure, Access::kAuthenticated},
    {http::verb::get, "/api/v1/audit/read-models", "/api/v1/audit/read-models", HandleReadModelHashes,
     Access::kAuthenticated},
    {http::verb::post, "/api/v1/admin/backups", "/api/v1/admin/backups", HandleCreateBackup, Access::kAuthenticated},
    // access (issue 11)
    {http::verb::post, "/api/v1/permission-groups", "/api/v1/permission-groups", HandleCreatePermissionGroup,
     Access::kAuthenticated},
    {http::verb::get, "/api/v1/permission-groups", "/api/v1/permission-groups", HandleListPermissionGroups,
     Access::kAuthenticated},
    {http::verb::put, "/api/v1/permission-groups/{}/members/{}", "/api/v1/permission-groups/{id}/members/{user_id}",
     HandleAddGroupMember, Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/permission-groups/{}/members/{}",
     "/api/v1/permission-groups/{id}/members/{user_id}", HandleRemoveGroupMember, Access::kAuthenticated},
    {http::verb::get, "/api/v1/settings", "/api/v1/settings", HandleGetSettings, Access::kAuthenticated},
    {http::verb::patch, "/api/v1/settings", "/api/v1/settings", HandlePatchSettings, Access::kAuthenticated},
    {http::verb::patch, "/api/v1/tenants/{}/license", "/api/v1/tenants/{id}/license", HandlePatchLicense,
     Access::kAuthenticated},
    {http::verb::get, "/api/v1/admin/alerts", "/api/v1/admin/alerts", HandleListAlerts, Access::kAuthenticated},
    {http::verb::post, "/api/v1/api-keys", "/api/v1/api-keys", HandleCreateApiKey, Access::kAuthenticated},
    {http::verb::get, "/api/v1/api-keys", "/api/v1/api-keys", HandleListApiKeys, Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/api-keys/{}", "/api/v1/api-keys/{id}", HandleRevokeApiKey, Access::kAuthenticated},
    {http::verb::get, "/api/v1/api-keys/{}/usage", "/api/v1/api-keys/{id}/usage", HandleApiKeyUsage,
     Access::kAuthenticated},
    // >>> workflow: catalog, teams, reopen policy (issue 12, helper wf-catalog)
    {http::verb::get, "/api/v1/groups", "/api/v1/groups", HandleListGroups, Access::kAuthenticated},
    {http::verb::post, "/api/v1/groups", "/api/v1/groups", HandleCreateGroup, Access::kAuthenticated},
    {http::verb::patch, "/api/v1/groups/{}", "/api/v1/groups/{id}", HandlePatchGroup, Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/groups/{}", "/api/v1/groups/{id}", HandleArchiveGroup, Access::kAuthenticated},
    {http::verb::post, "/api/v1/groups/{}/categories", "/api/v1/groups/{id}/categories", HandleCreateCategory,
     Access::kAuthenticated},
    {http::verb::patch, "/api/v1/categories/{}", "/api/v1/categories/{id}", HandlePatchCategory,
     Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/categories/{}", "/api/v1/categories/{id}", HandleArchiveCategory,
     Access::kAuthenticated},
    {http::verb::post, "/api/v1/categories/{}/subcategories", "/api/v1/categories/{id}/subcategories",
     HandleCreateSubcategory, Access::kAuthenticated},
    {http::verb::patch, "/api/v1/subcategories/{}", "/api/v1/subcategories/{id}", HandlePatchSubcategory,
     Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/subcategories/{}", "/api/v1/subcategories/{id}", HandleArchiveSubcategory,
     Access::kAuthenticated},
    // >>> workflow: SLA, timers, auto-close (issue 12, helper wf-sla)
    {http::verb::post, "/api/v1/sla-policies/simulate", "/api/v1/sla-policies/simulate", HandleSimulateSlaPolicy,
     Access::kAuthenticated},
    {http::verb::get, "/api/v1/sla-policies", "/api/v1/sla-policies", HandleListSlaPolicies, Access::kAuthenticated},
    {http::verb::post, "/api/v1/sla-policies", "/api/v1/sla-policies", HandleCreateSlaPolicy, Access::kAuthenticated},
    {http::verb::get, "/api/v1/sla-policies/{}", "/api/v1/sla-policies/{id}", HandleGetSlaPolicy,
     Access::kAuthenticated},
    {http::verb::patch, "/api/v1/sla-policies/{}", "/api/v1/sla-policies/{id}", HandlePatchSlaPolicy,
     Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/sla-policies/{}", "/api/v1/sla-policies/{id}", HandleDeleteSlaPolicy,
     Access::kAuthenticated},
    // >>> attachments (issue 13)
    {http::verb::post, "/api/v1/tickets/{}/attachments", "/api/v1/tickets/{id}/attachments", HandleUploadAttachments,
     Access::kAuthenticated, kNoScope, kUploadRoute},
    {http::verb::get, "/api/v1/tickets/{}/attachments", "/api/v1/tickets/{id}/attachments", HandleListAttachments,
     Access::kAuthenticated},
    {http::verb::get, "/api/v1/attachments/{}", "/api/v1/attachments/{id}", HandleDownloadAttachment,
     Access::kAuthenticated},
    // >>> mail out: notifier, templates, digest (issue 14, helper mail-out)
    {http::verb::get, "/api/v1/notifications", "/api/v1/notifications", HandleListNotifications,
     Access::kAuthenticated},
    {http::verb::post, "/api/v1/admin/digest/send", "/api/v1/admin/digest/send", HandleSendDigest,
     Access::kAuthenticated},
    {http::verb::get, "/api/v1/email-templates", "/api/v1/email-templates", HandleListEmailTemplates,
     Access::kAuthenticated},
    {http::verb::put, "/api/v1/email-templates/{}", "/api/v1/email-templates/{event}", HandlePutEmailTemplate,
     Access::kAuthenticated},
    {http::verb::delete_, "/api/v1/email-templates/{}", "/api/v1/email-templates/{event}",
     HandleDeleteEmailTemplate, Access::kAuthenticated},
    {http::verb::post, "/api/v1/email-templates/{}/preview", "/api/v1/email-templates/{event}/preview",
     HandlePreviewEmailTemplate, Access::kAuthenticated},
    // >>> web app (issue 15)
    {http::verb::get, "/", "/", HandleWebRoot, Access::kPublic},
    {http::verb::get, "/login", "/login", HandleWebLogin, Access::kPublic},
    {http::verb::get, "/desk", "/desk", HandleWebDesk, Access::kPublic},
    {http::verb::get, "/desk/new", "/desk/new", HandleWebDeskNew, Access::kPublic},
    {http::verb::get, "/desk/tickets/{}", "/desk/tickets/{number}", HandleWebDesk, Access::kPublic},
    {http::verb::get, "/tickets", "/tickets", HandleWebQueue, Access::kPublic},
    {http::verb::get, "/tickets/{}", "/tickets/{number}", HandleWebQueue, Access::kPublic},
    {http::verb::get, "/admin", "/admin", HandleWebAdmin, Access::kPublic},
    {http::verb::get, "/reports", "/reports", HandleWebReports, Access::kPublic},
    {http::verb::get, "/assets/{}/{}", "/assets/{build}/{file}", HandleWebAsset, Access::kPublic},
    {http::verb::get, "/api/v1/tickets/by-number/{}", "/api/v1/tickets/by-number/{number}", HandleGetTicketByNumber,
     Access::kAuthenticated},
    // >>> live stream SSE (issue 15, helper live)
    {http::verb::get, "/api/v1/stream", "/api/v1/stream", HandleStream, Access::kAuthenticated},
    // The public API: the same handlers as /api/v1, authenticated by API keys.
    {http::verb::get, "/public/v1/tickets", "/public/v1/tickets", HandleListTickets, Access::kApiKey,
     domain::ApiScope::kTicketsRead},
    {http::verb::get, "/public/v1/tickets/{}", "/public/v1/tickets/{id}", HandleGetTicket, Access::kApiKey,
     domain::ApiScope::kTicketsRead},
    {http::verb::post, "/public/v1/tickets", "/public/v1/tickets", HandleCreateTicket, Access::kApiKey,
     domain::ApiScope::kTicketsWrite},
    {http::verb::patch, "/public/v1/tickets/{}", "/public/v1/tickets/{id}", HandlePatchTicket, Access::kApiKey,
     domain::ApiScope::kTicketsWrite},
    // >>> mail in: inbound mail (issue 14, helper mail-in)
    {http::verb::post, "/public/v1/inbound-mail", "/public/v1/inbound-mail", HandleInboundMail, Access::kApiKey,
     domain::ApiScope::kMailInbound, BodyRoom::kRawMail},
    // ---- sign-in (issue 11) ----
    {http::verb::post, "/api/v1/auth/login", "/api/v1/auth/login", HandleLogin, Access::kPublic},
    {http::verb::post, "/api/v1/auth/refresh", "/api/v1/auth/refresh", HandleRefresh, Access::kPublic},
    {http::verb::post, "/api/v1/auth/logout", "/api/v1/auth/logout", HandleLogout, Access::kAuthenticated},
    {http::verb::post, "/api/v1/auth/reset", "/api/v1/auth/reset", HandleResetPassword, Access::kPublic},
    {http::verb::get, "/.well-known/jwks.json", "/.well-known/jwks.json", HandleJwks, Access::kPublic},
    {http::verb::get, "/api/v1/users/me", "/api/v1/users/me", HandleGetMe, Access::kAuthenticated},
    {http::verb::put, "/api/v1/users/me/password", "/api/v1/users/me/password", HandleChangePassword,
     Access::kAuthenticated},
    {http::verb::patch, "/api/v1/users/{}", "/api/v1/users/{id}", HandlePatchUser, Access::kAuthenticated},
    {http::verb::post, "/api/v1/users/{}/password-reset", "/api/v1/users/{id}/password-reset",
     HandleIssuePasswordReset, Access::kAuthenticated},
};

// Matches the raw (still percent-encoded) `segments` against a pattern:
// literal segments as sent, so "%61dmin" is not "admin"; the {} values are
// decoded, and one that decodes to a '/' matches nothing.
bool Matches(std::string_view pattern, const std::vector<std::string_view>& segments,
             std::vector<std::string>* params) {
  std::vector<std::string_view> parts = PathSegments(pattern);
  if (parts.size() != segments.size()) return false;
  params->clear();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == "{}") {
      std::optional<std::string> value = DecodeSegment(segments[i]);
      if (!value) return false;
      params->push_back(std::move(*value));
    } else if (parts[i] != segments[i]) {
      return false;
    }
  }
  return true;
}

domain::Timestamp NowMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::optional<std::string_view> BearerToken(const Request& request) {
  auto it = request.find(http::field::authorization);
  if (it == request.end()) return std::nullopt;
  std::string_view value(it->value().data(), it->value().size());
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return std::nullopt;
  }
  std::string_view token = value.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

Response Unauthenticated() {
  Response response =
      ErrorResponse(http::status::unauthorized, "UNAUTHENTICATED", "a valid bearer token is required");
  response.set(http::field::www_authenticate, "Bearer");
  return response;
}

}  // namespace

std::vector<ServedRoute> ServedRoutes() {
  std::vector<ServedRoute> routes;
  for (const Route& route : kRoutes) {
    const auto method = http::to_string(route.method);
    routes.push_back({std::string_view(method.data(), method.size()), route.name,
                      route.access != Access::kPublic});
  }
  return routes;
}

void Call::Reply(Response&& response) {
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  response.set(http::field::server, "ticketd");
  response.set("X-Request-Id", correlation_id.ToString());
  response.prepare_payload();
  if (metrics) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto method = request.method_string();
    metrics->ObserveRequest(std::string_view(method.data(), method.size()), route, response.result_int(),
                            seconds);
  }
  respond(std::move(response));
}

void Call::ReplyStream(Response&& head, ResponseStreamPtr body) {
  head.version(request.version());
  head.set(http::field::server, "ticketd");
  head.set("X-Request-Id", correlation_id.ToString());
  if (metrics) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    auto method = request.method_string();
    metrics->ObserveRequest(std::string_view(method.data(), method.size()), route, head.result_int(), seconds);
  }
  stream(std::move(head), std::move(body));
}

Router::Router(Engine& engine, Metrics& metrics, SignIn& signin, const RouterOptions& options,
               ApiKeyUsage* api_key_usage)
    : services_{engine, metrics, api_key_usage, &signin, options.live_hub, nullptr, options.mail_from}, options_(options) {
  if (options.rate_limit > 0)
    rate_limiter_ = std::make_unique<RateLimiter>(
        options.rate_limit, options.rate_burst > 0 ? options.rate_burst : options.rate_limit);
}

std::optional<projections::DirectoryReadModel::ApiKeyCaller> Router::AuthenticateApiKey(
    Call& call, std::array<std::uint8_t, 32>* key_hash) const {
  std::optional<std::string_view> key = BearerToken(call.request);
  if (!key) return std::nullopt;
  *key_hash = Sha256(*key);
  auto caller = services_.engine.directory().AuthenticateApiKey(*key_hash, call.now);
  if (!caller) return std::nullopt;
  call.actor = caller->actor;
  call.api_key_id = caller->key_id;
  // Every request the key authenticated counts, refusals included.
  if (services_.api_key_usage) services_.api_key_usage->Count(call.actor.tenant_id, caller->key_id, call.now);
  return caller;
}

bool Router::Authenticate(Call& call, std::array<std::uint8_t, 32>* token_hash) const {
  std::optional<std::string_view> token = BearerToken(call.request);
  if (!token) return false;
  std::array<std::uint8_t, 32>& hash = *token_hash;
  hash = Sha256(*token);
  if (CRYPTO_memcmp(hash.data(), options_.admin_token_sha256.data(), hash.size()) == 0) {
    call.actor = domain::Actor{.kind = domain::Actor::Kind::kPlatformAdmin};
    return true;
  }
  std::optional<domain::Actor> actor;
  if (LooksLikeJwt(*token)) {
    // A signed access token whose session is still live (O(1): verified
    // tokens are cached by hash; the session is one map lookup).
    std::optional<AccessClaims> claims = services_.signin->keys->Verify(*token, call.now / 1000000);
    if (!claims) return false;
    call.token_expires_at = claims->expires_at;
    actor = services_.engine.directory().AuthenticateSession(claims->tenant_id, claims->user_id, claims->session_id);
    if (actor) call.session_id = claims->session_id;
  } else {
    actor = services_.engine.directory().Authenticate(hash);
  }
  if (!actor) return false;
  call.actor = *actor;
  call.token_sha256 = hash;
  return true;
}

std::size_t BodyLimitFor(const http::request_header<>& header, std::size_t json_limit) {
  const std::string_view raw_target =
      OriginForm(std::string_view(header.target().data(), header.target().size()));
  std::optional<std::vector<std::string_view>> segments = RawPathSegments(raw_target);
  if (!segments) return json_limit;
  std::vector<std::string> params;
  for (const Route& route : kRoutes) {
    if (route.method != header.method() || !Matches(route.pattern, *segments, &params)) continue;
    switch (route.body) {
      case BodyRoom::kJson:
        return json_limit;
      case BodyRoom::kMultipartUpload: {
        auto type = header[http::field::content_type];
        if (!MultipartBoundary(std::string_view(type.data(), type.size()))) return json_limit;
        return std::max(json_limit, kUploadBodyLimit);
      }
      case BodyRoom::kRawMail:
        return kMaxInboundMailBytes;
    }
  }
  return json_limit;
}

std::size_t Router::BodyLimit(const Request& header, std::size_t default_limit) const {
  return BodyLimitFor(header, default_limit);
}

void Router::Handle(Request&& request, Responder respond) { Handle(std::move(request), std::move(respond), nullptr); }

void Router::Handle(Request&& request, Responder respond, StreamResponder stream) {
  auto call = std::make_shared<Call>();
  call->started = std::chrono::steady_clock::now();
  call->now = NowMicros();
  call->request = std::move(request);
  call->respond = std::move(respond);
  call->stream = std::move(stream);
  call->metrics = &services_.metrics;
  std::optional<domain::Id> request_id;
  if (auto it = call->request.find("X-Request-Id"); it != call->request.end())
    request_id = domain::Id::Parse(std::string_view(it->value().data(), it->value().size()));
  call->correlation_id = request_id ? *request_id : app::RandomId();

  const std::string_view raw_target =
      OriginForm(std::string_view(call->request.target().data(), call->request.target().size()));
  std::optional<Target> target = ParseTarget(raw_target);
  if (!target) return call->Reply(ValidationError("", "the request target is not a valid URL path"));
  call->target = std::move(*target);
  // Two credentials: which one would count is a guess; refuse instead.
  if (call->request.count(http::field::authorization) > 1)
    return call->Reply(ValidationError("Authorization", "must be sent once"));

  // HEAD is GET without the body (the session drops it, keeping the length).
  const http::verb method =
      call->request.method() == http::verb::head ? http::verb::get : call->request.method();
  std::optional<std::vector<std::string_view>> segments = RawPathSegments(raw_target);
  const Route* matched = nullptr;
  std::string allowed;
  std::vector<std::string> params;
  for (const Route& route : kRoutes) {
    if (!segments || !Matches(route.pattern, *segments, &params)) continue;
    if (route.method == method) {
      matched = &route;
      call->path_params = params;
      break;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += std::string(http::to_string(route.method));
    if (route.method == http::verb::get) allowed += ", HEAD";
  }
  if (!matched) {
    if (allowed.empty()) return call->Reply(NotFound("no route for " + call->target.path));
    Response response =
        ErrorResponse(http::status::method_not_allowed, "METHOD_NOT_ALLOWED",
                      "this path does not accept " + std::string(call->request.method_string().data(),
                                                                 call->request.method_string().size()));
    response.set(http::field::allow, allowed);
    return call->Reply(std::move(response));
  }
  call->route = matched->name;
  if (matched->access != Access::kPublic) {
    std::array<std::uint8_t, 32> token_hash{};
    std::optional<domain::ApiScope> key_scope;
    if (matched->access == Access::kApiKey) {
      auto caller = AuthenticateApiKey(*call, &token_hash);
      if (!caller) return call->Reply(Unauthenticated());
      if (!services_.engine.directory().FeatureEnabled(call->actor.tenant_id, domain::Feature::kPublicApi))
        return call->Reply(ErrorResponse(http::status::forbidden, "FEATURE_DISABLED",
                                         "the public API is switched off for this tenant",
                                         R"({"feature":"public_api"})"));
      if (!caller->scopes.Has(matched->scope))
        return call->Reply(ErrorResponse(http::status::forbidden, "INSUFFICIENT_SCOPE",
                                         "this API key lacks the scope " + std::string(ToString(matched->scope)),
                                         "{\"required\":\"" + std::string(ToString(matched->scope)) + "\"}"));
    } else if (!Authenticate(*call, &token_hash)) {
      return call->Reply(Unauthenticated());
    }
    int retry_after = 0;
    if (rate_limiter_ && !rate_limiter_->Allow(token_hash, call->started, &retry_after)) {
      Response response = ErrorResponse(http::status::too_many_requests, "RATE_LIMITED",
                                        "too many requests for this token; retry later",
                                        "{\"retry_after_seconds\":" + std::to_string(retry_after) + "}");
      response.set(http::field::retry_after, std::to_string(retry_after));
      return call->Reply(std::move(response));
    }
  }
  matched->handler(services_, call);
}

}  // namespace ticketd::api

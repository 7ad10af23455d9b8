// Sign-in routes: login, refresh, logout, password reset with a token, and
// the JWKS. Password work runs on the pool (password_pool.h); JWTs are
// signed before a command is submitted, so completions on the writer thread
// only render. Nothing here logs or echoes a password or a token secret.
#include <sodium.h>

#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/ids.h"
#include "signin.h"
#include "web_session.h"
#include "ticketd/domain/permissions.h"
#include "ticketd/domain/accounts.h"

namespace ticketd::api {
namespace {

std::int64_t Seconds(domain::Timestamp micros) { return micros / 1000000; }

Response TooManyAttempts(int retry_after) {
  Response response =
      ErrorResponse(http::status::too_many_requests, "TOO_MANY_ATTEMPTS",
                    "too many failed sign-ins for this account; retry later",
                    "{\"retry_after_seconds\":" + std::to_string(retry_after) + "}");
  response.set(http::field::retry_after, std::to_string(retry_after));
  return response;
}

Response InvalidRefreshToken() {
  return ErrorResponse(http::status::unauthorized, "INVALID_REFRESH_TOKEN",
                       "the refresh token is unknown, spent or expired");
}

Response InvalidResetToken() {
  return ErrorResponse(http::status::bad_request, "INVALID_RESET_TOKEN",
                       "the reset token is unknown, spent or expired");
}

domain::Actor UserActor(const domain::Id& tenant_id) {
  domain::Actor actor;
  actor.kind = domain::Actor::Kind::kUser;
  actor.tenant_id = tenant_id;
  return actor;
}

// A new access token of `session` for `user`.
std::string IssueAccessToken(const SignIn& signin, const CallPtr& call, const domain::Id& tenant_id,
                             const domain::Id& user_id, const domain::Id& session_id) {
  AccessClaims claims{user_id, tenant_id, session_id, RandomId(), Seconds(call->now),
                      Seconds(call->now) + signin.access_token_ttl_seconds};
  return signin.keys->Sign(claims);
}

void WriteTokenPair(JsonWriter& json, const SignIn& signin, const std::string& access, const std::string& refresh) {
  json.Key("access_token").String(access);
  json.Key("token_type").String("Bearer");
  json.Key("expires_in").Int(signin.access_token_ttl_seconds);
  json.Key("refresh_token").String(refresh);
}

struct LoginAttempt {
  CallPtr call;
  std::string account;  // the lockout key
  std::optional<domain::Id> tenant_id;
  std::optional<projections::LoginCandidate> candidate;
  std::string password;
};

// On a pool thread: one Argon2id verify whatever the input, then a session.
void FinishLogin(Services& services, const std::shared_ptr<LoginAttempt>& attempt) {
  SignIn& signin = *services.signin;
  const auto& candidate = attempt->candidate;
  const bool usable = candidate && candidate->user.active && !candidate->user.erased_at &&
                      !candidate->password_hash.empty();
  const std::string& hash = usable ? candidate->password_hash : DummyPasswordHash();
  const bool verified = VerifyPassword(hash, attempt->password) && usable;
  WipeSecret(attempt->password);
  const CallPtr& call = attempt->call;
  if (!verified) {
    signin.guard.Finish(attempt->account, LoginGuard::Clock::now(), false);
    return call->Reply(InvalidCredentials());
  }
  const domain::User& user = candidate->user;
  domain::StartSession command{.actor = UserActor(*attempt->tenant_id), .at = call->now,
                               .tenant_id = *attempt->tenant_id, .user_id = user.id, .session_id = RandomId(),
                               .verified_hash = hash};
  std::string refresh = NewTenantToken(kRefreshTokenPrefix, *attempt->tenant_id);
  command.refresh_sha256 = Sha256(refresh);
  std::string access = IssueAccessToken(signin, call, *attempt->tenant_id, user.id, command.session_id);
  const domain::PermissionSet permissions = UserPermissions(services.engine.directory(), user);
  services.engine.Submit(
      domain::DirectoryCommand{std::move(command)}, call->correlation_id,
      [&signin, attempt, user, permissions, access = std::move(access), refresh = std::move(refresh)](CommandOutcome&& outcome) {
        const bool refused = outcome.error && outcome.error->code == domain::ErrorCode::kInvalidCredentials;
        if (outcome.status.ok() && !outcome.error) {
          signin.guard.Finish(attempt->account, LoginGuard::Clock::now(), true);
        } else if (refused) {
          signin.guard.Finish(attempt->account, LoginGuard::Clock::now(), false);
        } else {
          signin.guard.Cancel(attempt->account);
        }
        if (ReplyIfFailed(attempt->call, outcome)) return;
        JsonWriter json;
        json.BeginObject();
        WriteTokenPair(json, signin, access, refresh);
        json.Key("user");
        WriteUserWithPermissions(json, user, permissions);
        json.EndObject();
        Response response = JsonResponse(http::status::ok, json.Take());
        SetSessionCookies(attempt->call->request, response, refresh, domain::kRefreshTokenLifetime / 1000000);
        attempt->call->Reply(std::move(response));
      });
}

}  // namespace

domain::PermissionSet UserPermissions(const projections::DirectoryReadModel& directory, const domain::User& user) {
  std::optional<domain::TenantAccess> access = directory.GetAccess(user.tenant_id);
  return access ? domain::EffectivePermissions(*access, user)
                : domain::RolePermissions(user.role, user.department == "IT");
}

void WriteUserWithPermissions(JsonWriter& json, const domain::User& user, const domain::PermissionSet& permissions) {
  json.BeginObject();
  json.Key("id").String(user.id.ToString());
  json.Key("tenant_id").String(user.tenant_id.ToString());
  json.Key("name").String(user.name);
  json.Key("email").String(user.email);
  json.Key("role").String(domain::ToString(user.role));
  json.Key("department");
  if (user.department.empty()) {
    json.Null();
  } else {
    json.String(user.department);
  }
  json.Key("active").Bool(user.active);
  json.Key("permissions").BeginArray();
  for (std::string_view permission : permissions.Names()) json.String(permission);
  json.EndArray();
  json.EndObject();
}

void HandleLogin(Services& services, const CallPtr& call) {
  auto body = ReadBody(call, {"tenant", "email", "password"});
  if (!body) return;
  FieldReader fields(*body);
  std::string tenant = fields.String("tenant", true, 64).value_or("");
  std::string email = fields.String("email", true, domain::kMaxEmailChars).value_or("");
  std::string password = fields.String("password", true, domain::kMaxPasswordChars).value_or("");
  WipeSecret(call->request.body());  // the request's copy of the password
  if (fields.error) {
    WipeSecret(password);
    return call->Reply(std::move(*fields.error));
  }
  auto attempt = std::make_shared<LoginAttempt>();
  attempt->call = call;
  attempt->password = std::move(password);
  const std::string normalized = domain::NormalizeEmail(email);
  attempt->tenant_id = services.engine.directory().ResolveTenant(tenant);
  if (attempt->tenant_id) attempt->candidate = services.engine.directory().FindLogin(*attempt->tenant_id, normalized);
  attempt->account = (attempt->tenant_id ? attempt->tenant_id->ToString() : domain::NormalizeEmail(tenant)) + "\n" +
                     normalized;
  SignIn& signin = *services.signin;
  if (int retry_after = signin.guard.Begin(attempt->account, LoginGuard::Clock::now()); retry_after > 0) {
    WipeSecret(attempt->password);
    return call->Reply(TooManyAttempts(retry_after));
  }
  if (!signin.pool->TrySubmit([&services, attempt] { FinishLogin(services, attempt); })) {
    signin.guard.Cancel(attempt->account);
    WipeSecret(attempt->password);
    call->Reply(PasswordPoolBusy());
  }
}

void HandleRefresh(Services& services, const CallPtr& call) {
  // The web app sends no body: its refresh token is the HttpOnly cookie.
  std::optional<std::string> cookie = RefreshTokenCookie(call->request);
  auto body = ReadBody(call, {"refresh_token"}, /*allow_empty=*/cookie.has_value());
  if (!body) return;
  FieldReader fields(*body);
  std::optional<std::string> sent = fields.String("refresh_token", !cookie, 128);
  if (fields.error) return call->Reply(std::move(*fields.error));
  const bool from_cookie = !sent;
  std::string presented = sent ? std::move(*sent) : *cookie;
  auto refused = [call, from_cookie] {
    Response response = InvalidRefreshToken();
    if (from_cookie) ClearSessionCookies(call->request, response);
    return response;
  };
  std::optional<domain::Id> tenant_id = TenantOfToken(kRefreshTokenPrefix, presented);
  if (!tenant_id) return call->Reply(refused());
  const auto presented_sha256 = Sha256(presented);
  auto owner = services.engine.directory().FindRefresh(*tenant_id, presented_sha256);
  if (!owner) return call->Reply(refused());
  SignIn& signin = *services.signin;
  domain::RefreshSession command{.actor = UserActor(*tenant_id), .at = call->now, .tenant_id = *tenant_id,
                                 .presented_sha256 = presented_sha256};
  std::string refresh = NewTenantToken(kRefreshTokenPrefix, *tenant_id);
  command.refresh_sha256 = Sha256(refresh);
  std::string access = IssueAccessToken(signin, call, *tenant_id, owner->second, owner->first);
  services.engine.Submit(
      domain::DirectoryCommand{std::move(command)}, call->correlation_id,
      [&signin, call, from_cookie, refused, access = std::move(access), refresh = std::move(refresh)](
          CommandOutcome&& outcome) {
        if (from_cookie && outcome.error) return call->Reply(refused());
        if (ReplyIfFailed(call, outcome)) return;
        bool rotated = false;
        for (const auto& event : outcome.events) {
          const auto* account = std::get_if<domain::AccountEvent>(&event.payload);
          rotated = rotated || (account && std::holds_alternative<domain::SessionRefreshed>(*account));
        }
        // A spent token came back: the session was just revoked.
        if (!rotated) return call->Reply(refused());
        JsonWriter json;
        json.BeginObject();
        WriteTokenPair(json, signin, access, refresh);
        json.EndObject();
        Response response = JsonResponse(http::status::ok, json.Take());
        if (from_cookie) SetSessionCookies(call->request, response, refresh, domain::kRefreshTokenLifetime / 1000000);
        call->Reply(std::move(response));
      });
}

void HandleLogout(Services& services, const CallPtr& call) {
  if (!call->session_id)
    return call->Reply(ValidationError("Authorization", "logout needs an access token from /api/v1/auth/login; "
                                                        "personal tkd_ tokens have no session"));
  domain::EndSession command{
      .actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id, .session_id = *call->session_id};
  services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                         [call](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           Response response = EmptyResponse(http::status::no_content);
                           ClearSessionCookies(call->request, response);
                           call->Reply(std::move(response));
                         });
}

void HandleResetPassword(Services& services, const CallPtr& call) {
  auto body = ReadBody(call, {"reset_token", "new_password"});
  if (!body) return;
  FieldReader fields(*body);
  std::string token = fields.String("reset_token", true, 128).value_or("");
  auto password = std::make_shared<std::string>(fields.String("new_password", true, domain::kMaxPasswordChars).value_or(""));
  WipeSecret(call->request.body());
  if (!fields.error && CountCodePoints(*password) < domain::kMinPasswordChars)
    fields.error = ValidationError("new_password", "must be 10 to 256 characters");
  if (fields.error) {
    WipeSecret(*password);
    return call->Reply(std::move(*fields.error));
  }
  std::optional<domain::Id> tenant_id = TenantOfToken(kResetTokenPrefix, token);
  const auto reset_sha256 = Sha256(token);
  if (!tenant_id || !services.engine.directory().ResetGrantLive(*tenant_id, reset_sha256, call->now)) {
    WipeSecret(*password);
    return call->Reply(InvalidResetToken());
  }
  auto job = [&services, call, password, tenant_id = *tenant_id, reset_sha256] {
    std::string hash = HashPassword(*password);
    WipeSecret(*password);
    if (hash.empty()) return call->Reply(PasswordPoolBusy());
    domain::ResetPassword command{.actor = UserActor(tenant_id), .at = call->now, .tenant_id = tenant_id,
                                  .reset_sha256 = reset_sha256, .password_hash = std::move(hash)};
    services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                           [call](CommandOutcome&& outcome) {
                             if (ReplyIfFailed(call, outcome)) return;
                             call->Reply(EmptyResponse(http::status::no_content));
                           });
  };
  if (!services.signin->pool->TrySubmit(std::move(job))) {
    WipeSecret(*password);
    call->Reply(PasswordPoolBusy());
  }
}

void HandleJwks(Services& services, const CallPtr& call) {
  Response response = JsonResponse(http::status::ok, services.signin->keys->JwksJson());
  response.set(http::field::cache_control, "public, max-age=300");
  call->Reply(std::move(response));
}

}  // namespace ticketd::api

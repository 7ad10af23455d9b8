// The signed-in user's own routes and user management: GET /users/me,
// PATCH /users/{id}, PUT /users/me/password, POST /users/{id}/password-reset.
#include <sodium.h>

#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/ids.h"
#include "signin.h"
#include "ticketd/domain/permissions.h"
#include "ticketd/domain/accounts.h"

namespace ticketd::api {
namespace {

// The tenant of the user a manager acts on: the caller's own, or for the
// platform admin the user's. Replies 404/403 and returns nullopt otherwise.
std::optional<domain::Id> TargetTenant(Services& services, const CallPtr& call, const domain::Id& user_id) {
  if (!call->actor.IsPlatformAdmin()) {
    if (!RequirePermission(call, domain::Permission::kUsersManage)) return std::nullopt;
    return call->actor.tenant_id;
  }
  std::optional<domain::User> user = services.engine.directory().FindUserAnyTenant(user_id);
  if (!user) {
    call->Reply(NotFound("no such user"));
    return std::nullopt;
  }
  return user->tenant_id;
}

// 10..256 code points (the length was capped when it was read).
bool CheckPasswordLength(FieldReader& fields, std::string_view field, const std::string& password) {
  if (fields.error || CountCodePoints(password) >= domain::kMinPasswordChars) return !fields.error;
  fields.error = ValidationError(field, "must be 10 to 256 characters");
  return false;
}

}  // namespace

void HandleGetMe(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::User> user = services.engine.directory().GetUser(call->actor.tenant_id, call->actor.user_id);
  if (!user) return call->Reply(NotFound("no such user"));
  JsonWriter json;
  WriteUserWithPermissions(json, *user, domain::EffectivePermissions(call->actor));
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandlePatchUser(Services& services, const CallPtr& call) {
  std::optional<domain::Id> user_id = PathId(call);
  if (!user_id) return;
  auto body = ReadBody(call, {"name", "role", "department", "active"}, /*allow_empty=*/true);
  if (!body) return;
  FieldReader fields(*body);
  domain::UpdateUser command{.actor = call->actor, .at = call->now, .user_id = *user_id};
  command.name = fields.String("name", false, domain::kMaxNameChars);
  if (body->Has("role")) command.role = fields.EnumValue<domain::Role>("role", false, domain::ParseRole);
  if (body->Has("department")) {
    command.department = body->IsNull("department") ? std::string() : fields.String("department", false, 64).value_or("");
  }
  command.active = fields.Bool("active");
  if (body->Has("name") && body->IsNull("name")) fields.error = ValidationError("name", "must be a string");
  if (body->Has("active") && body->IsNull("active")) fields.error = ValidationError("active", "must be true or false");
  if (fields.error) return call->Reply(std::move(*fields.error));
  std::optional<domain::Id> tenant_id = TargetTenant(services, call, *user_id);
  if (!tenant_id) return;
  command.tenant_id = *tenant_id;
  services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                         [&services, call, tenant_id = *tenant_id, user_id = *user_id](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           std::optional<domain::User> user = services.engine.directory().GetUser(tenant_id, user_id);
                           if (!user) return call->Reply(NotFound("no such user"));
                           JsonWriter json;
                           WriteUser(json, *user);
                           call->Reply(JsonResponse(http::status::ok, json.Take()));
                         });
}

void HandleChangePassword(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  auto body = ReadBody(call, {"current_password", "new_password"});
  if (!body) return;
  FieldReader fields(*body);
  auto current = std::make_shared<std::string>(
      fields.String("current_password", false, domain::kMaxPasswordChars).value_or(""));
  auto fresh = std::make_shared<std::string>(fields.String("new_password", true, domain::kMaxPasswordChars).value_or(""));
  WipeSecret(call->request.body());
  CheckPasswordLength(fields, "new_password", *fresh);
  std::optional<std::string> existing =
      services.engine.directory().PasswordHashOf(call->actor.tenant_id, call->actor.user_id);
  if (!fields.error && existing && !body->Has("current_password"))
    fields.error = ValidationError("current_password", "is required: the account has a password");
  if (fields.error) {
    WipeSecret(*current);
    WipeSecret(*fresh);
    return call->Reply(std::move(*fields.error));
  }
  auto job = [&services, call, current, fresh, existing] {
    const bool ok = !existing || VerifyPassword(*existing, *current);
    WipeSecret(*current);
    if (!ok) {
      WipeSecret(*fresh);
      return call->Reply(InvalidCredentials());
    }
    std::string hash = HashPassword(*fresh);
    WipeSecret(*fresh);
    if (hash.empty()) return call->Reply(PasswordPoolBusy());
    domain::SetPassword command{.actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id,
                                .user_id = call->actor.user_id, .password_hash = std::move(hash)};
    services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                           [call](CommandOutcome&& outcome) {
                             if (ReplyIfFailed(call, outcome)) return;
                             call->Reply(EmptyResponse(http::status::no_content));
                           });
  };
  if (!services.signin->pool->TrySubmit(std::move(job))) {
    WipeSecret(*current);
    WipeSecret(*fresh);
    call->Reply(PasswordPoolBusy());
  }
}

void HandleIssuePasswordReset(Services& services, const CallPtr& call) {
  std::optional<domain::Id> user_id = PathId(call);
  if (!user_id) return;
  auto body = ReadBody(call, {}, /*allow_empty=*/true);
  if (!body) return;
  std::optional<domain::Id> tenant_id = TargetTenant(services, call, *user_id);
  if (!tenant_id) return;
  std::string token = NewTenantToken(kResetTokenPrefix, *tenant_id);
  domain::IssuePasswordReset command{.actor = call->actor, .at = call->now, .tenant_id = *tenant_id,
                                     .user_id = *user_id, .reset_sha256 = Sha256(token)};
  services.engine.Submit(
      domain::DirectoryCommand{std::move(command)}, call->correlation_id,
      [call, token = std::move(token)](CommandOutcome&& outcome) {
        if (ReplyIfFailed(call, outcome)) return;
        const auto& issued = std::get<domain::PasswordResetIssued>(
            std::get<domain::AccountEvent>(outcome.events.front().payload));
        JsonWriter json;
        json.BeginObject();
        json.Key("reset_token").String(token);
        json.Key("expires_at").String(domain::FormatRfc3339(issued.expires_at));
        json.EndObject();
        call->Reply(JsonResponse(http::status::created, json.Take()));
      });
}

}  // namespace ticketd::api

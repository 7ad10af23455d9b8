// Tenants, users and assets.
#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/ids.h"
#include "signin.h"
#include "ticketd/projections/views.h"

namespace ticketd::api {
namespace {


template <class Payload>
const Payload* FirstEvent(const CommandOutcome& outcome) {
  for (const auto& event : outcome.events)
    if (const auto* payload = std::get_if<Payload>(&event.payload)) return payload;
  return nullptr;
}

}  // namespace

void SubmitCreateUser(Services& services, const CallPtr& call, domain::CreateUser command, std::string token);

void HandleCreateTenant(Services& services, const CallPtr& call) {
  auto body = ReadBody(call, {"name", "ticket_prefix", "slug"});
  if (!body) return;
  FieldReader fields(*body);
  domain::CreateTenant command{.actor = call->actor, .at = call->now, .tenant_id = RandomId()};
  command.itsm_agent_group_id = RandomId();
  for (domain::Id& id : command.default_catalog_ids) id = RandomId();  // workflow (issue 12)
  command.name = fields.String("name", true, domain::kMaxNameChars).value_or("");
  command.ticket_prefix = fields.String("ticket_prefix", false, domain::kMaxPrefixChars).value_or("");
  std::optional<std::string> slug = fields.String("slug", false, domain::kMaxSlugChars + 1);
  if (slug && slug->empty()) fields.error = ValidationError("slug", "must be 2-40 of a-z, 0-9 and '-'");
  command.slug = slug.value_or("");  // empty: the decider derives it from the name
  if (fields.error) return call->Reply(std::move(*fields.error));
  services.engine.Submit(
      domain::DirectoryCommand{std::move(command)}, call->correlation_id, [call](CommandOutcome&& outcome) {
        if (ReplyIfFailed(call, outcome)) return;
        const auto* created = FirstEvent<domain::TenantCreated>(outcome);
        JsonWriter json;
        WriteTenant(json, projections::TenantInfo{created->tenant_id, created->name, created->ticket_prefix,
                                                  created->slug});
        Response response = JsonResponse(http::status::created, json.Take());
        response.set(http::field::location, "/api/v1/tenants/" + created->tenant_id.ToString());
        call->Reply(std::move(response));
      });
}

void HandleCreateUser(Services& services, const CallPtr& call) {
  std::optional<domain::Id> tenant_id = PathId(call);
  if (!tenant_id) return;
  auto body = ReadBody(call, {"name", "email", "role", "department", "password"});
  if (!body) return;
  FieldReader fields(*body);
  domain::CreateUser command{
      .actor = call->actor, .at = call->now, .tenant_id = *tenant_id, .user_id = RandomId()};
  command.name = fields.String("name", true, domain::kMaxNameChars).value_or("");
  command.email = fields.String("email", true, domain::kMaxEmailChars).value_or("");
  command.role =
      fields.EnumValue<domain::Role>("role", true, domain::ParseRole).value_or(domain::Role::kReporter);
  command.department = fields.String("department", false, 64).value_or("");
  std::optional<std::string> password = fields.String("password", false, domain::kMaxPasswordChars);
  if (password) WipeSecret(call->request.body());
  if (!fields.error && password && CountCodePoints(*password) < domain::kMinPasswordChars)
    fields.error = ValidationError("password", "must be 10 to 256 characters");
  if (fields.error) {
    if (password) WipeSecret(*password);
    return call->Reply(std::move(*fields.error));
  }
  std::string token = NewBearerToken();
  command.token_sha256 = Sha256(token);
  if (password) {
    // Argon2id on the pool, then the command (with the hash only).
    auto job = [&services, call, command = std::move(command), password = std::move(*password),
                token = std::move(token)]() mutable {
      command.password_hash = HashPassword(password);
      WipeSecret(password);
      if (command.password_hash.empty()) return call->Reply(PasswordPoolBusy());
      SubmitCreateUser(services, call, std::move(command), std::move(token));
    };
    if (!services.signin->pool->TrySubmit(std::move(job))) call->Reply(PasswordPoolBusy());
    return;
  }
  SubmitCreateUser(services, call, std::move(command), std::move(token));
}

void SubmitCreateUser(Services& services, const CallPtr& call, domain::CreateUser command, std::string token) {
  services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                         [call, token = std::move(token)](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           const auto* created = FirstEvent<domain::UserCreated>(outcome);
                           JsonWriter json;
                           json.BeginObject();
                           json.Key("id").String(created->user_id.ToString());
                           json.Key("name").String(created->name);
                           json.Key("email").String(created->email);
                           json.Key("role").String(domain::ToString(created->role));
                           json.Key("department");
                           if (created->department.empty()) {
                             json.Null();
                           } else {
                             json.String(created->department);
                           }
                           json.Key("token").String(token);
                           json.EndObject();
                           call->Reply(JsonResponse(http::status::created, json.Take()));
                         });
}

void HandleListUsers(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kTicketsReadAll)) return;
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const domain::User& user : services.engine.directory().ListUsers(call->actor.tenant_id))
    WriteUser(json, user);
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleCreateAsset(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  auto body = ReadBody(call, {"name", "kind"});
  if (!body) return;
  FieldReader fields(*body);
  domain::CreateAsset command{
      .actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id, .asset_id = RandomId()};
  command.name = fields.String("name", true, domain::kMaxNameChars).value_or("");
  command.kind = fields.String("kind", false, 64).value_or("");
  if (fields.error) return call->Reply(std::move(*fields.error));
  services.engine.Submit(
      domain::DirectoryCommand{std::move(command)}, call->correlation_id, [call](CommandOutcome&& outcome) {
        if (ReplyIfFailed(call, outcome)) return;
        const auto* created = FirstEvent<domain::AssetCreated>(outcome);
        JsonWriter json;
        WriteAsset(json, domain::Asset{created->asset_id, {}, created->name, created->kind});
        Response response = JsonResponse(http::status::created, json.Take());
        response.set(http::field::location, "/api/v1/assets/" + created->asset_id.ToString());
        call->Reply(std::move(response));
      });
}

void HandleListAssets(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kTicketsReadAll)) return;
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const domain::Asset& asset : services.engine.directory().ListAssets(call->actor.tenant_id))
    WriteAsset(json, asset);
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleDeleteAsset(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> asset_id = PathId(call);
  if (!asset_id) return;
  domain::DeleteAsset command{
      .actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id, .asset_id = *asset_id};
  services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                         [call](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           call->Reply(EmptyResponse(http::status::no_content));
                         });
}

}  // namespace ticketd::api

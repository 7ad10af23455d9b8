// API keys (ACCESS.md "API keys and the public API"): create (shown once,
// stored hashed), list without secrets, revoke, per-day usage.
#include "access_json.h"
#include "api_key_usage.h"
#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/ids.h"
#include "ticketd/domain/time.h"

namespace ticketd::api {
namespace {

// "tkd_key_" + 32 random bytes (base64url): high entropy, so a plain SHA-256
// is a safe stored form; the prefix tells a person what kind of secret it is.
std::string NewApiKey() { return "tkd_key_" + NewBearerToken().substr(4); }

}  // namespace

void HandleCreateApiKey(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return;
  auto body = ReadBody(call, {"name", "scopes", "expires_at"});
  if (!body) return;
  FieldReader fields(*body);
  domain::CreateApiKey command{
      .actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id, .key_id = RandomId()};
  command.name = fields.String("name", true, 1 << 16).value_or("");
  command.expires_at = fields.NullableTime("expires_at").value_or(std::nullopt);
  if (fields.error) return call->Reply(std::move(*fields.error));
  auto names = body->GetStringArray("scopes", domain::kApiScopes.size() * 4, 64);
  if (auto* failure = std::get_if<FieldError>(&names))
    return call->Reply(ValidationError("scopes", failure->message));
  const auto& list = std::get<std::optional<std::vector<std::string>>>(names);
  if (!list) return call->Reply(ValidationError("scopes", "is required"));
  for (const std::string& name : *list) {
    std::optional<domain::ApiScope> scope = domain::ParseApiScope(name);
    if (!scope) return call->Reply(ValidationError("scopes", "\"" + name + "\" is not a known scope"));
    command.scopes.Set(*scope, true);
  }
  std::string key = NewApiKey();
  command.key_sha256 = Sha256(key);
  services.engine.Submit(
      domain::DirectoryCommand{std::move(command)}, call->correlation_id,
      [call, key = std::move(key)](CommandOutcome&& outcome) {
        if (ReplyIfFailed(call, outcome)) return;
        const domain::DomainEvent& event = outcome.events.front();
        const auto& created = std::get<domain::ApiKeyCreated>(event.payload);
        JsonWriter json;
        json.BeginObject().Key("id").String(created.key_id.ToString()).Key("name").String(created.name);
        json.Key("scopes").BeginArray();
        for (std::string_view scope : domain::ScopeNames(created.scopes)) json.String(scope);
        json.EndArray();
        json.Key("key").String(key);
        json.Key("created_at").String(domain::FormatRfc3339(event.at));
        json.Key("expires_at");
        if (created.expires_at) {
          json.String(domain::FormatRfc3339(*created.expires_at));
        } else {
          json.Null();
        }
        json.EndObject();
        Response response = JsonResponse(http::status::created, json.Take());
        response.set(http::field::location, "/api/v1/api-keys/" + created.key_id.ToString());
        response.set(http::field::cache_control, "no-store");
        call->Reply(std::move(response));
      });
}

void HandleListApiKeys(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return;
  const domain::Id& tenant_id = call->actor.tenant_id;
  std::optional<domain::TenantAccess> access = services.engine.directory().GetAccess(tenant_id);
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  if (access) {
    for (const auto& [id, key] : access->api_keys) {
      if (key.revoked) continue;
      WriteApiKey(json, key, services.api_key_usage->LastUsedAt(tenant_id, id));
    }
  }
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleRevokeApiKey(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return;
  std::optional<domain::Id> key_id = PathId(call);
  if (!key_id) return;
  domain::RevokeApiKey command{
      .actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id, .key_id = *key_id};
  services.engine.Submit(domain::DirectoryCommand{command}, call->correlation_id, [call](CommandOutcome&& outcome) {
    if (ReplyIfFailed(call, outcome)) return;
    call->Reply(EmptyResponse(http::status::no_content));
  });
}

void HandleApiKeyUsage(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return;
  std::optional<domain::Id> key_id = PathId(call);
  if (!key_id) return;
  const domain::Id& tenant_id = call->actor.tenant_id;
  std::optional<domain::TenantAccess> access = services.engine.directory().GetAccess(tenant_id);
  // A revoked key's usage stays readable: it is history.
  if (!access || !access->api_keys.contains(*key_id)) return call->Reply(NotFound("no such API key"));
  JsonWriter json;
  json.BeginObject().Key("id").String(key_id->ToString()).Key("items").BeginArray();
  for (const auto& [day, requests] : services.api_key_usage->RequestsByDay(tenant_id, *key_id))
    json.BeginObject().Key("date").String(DayText(day)).Key("requests").Int(requests).EndObject();
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

}  // namespace ticketd::api

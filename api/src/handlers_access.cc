// Permission groups, tenant settings, licences and quota alerts (ACCESS.md).
#include "ticketd/domain/iso_duration.h"
#include "access_json.h"
#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/mailer.h"
#include "ticketd/app/ids.h"
#include "ticketd/domain/time.h"

namespace ticketd::api {
namespace {

// `prefix.name` for errors inside a nested object ("features.public_api").
Response NestedError(std::string_view prefix, const FieldError& error) {
  return ValidationError(std::string(prefix) + (error.field.empty() ? "" : "." + error.field), error.message);
}

// {feature: bool, ...}: every key a known feature.
std::optional<std::vector<std::pair<domain::Feature, bool>>> ReadFeatures(const CallPtr& call,
                                                                          const JsonBody& body) {
  std::vector<std::pair<domain::Feature, bool>> features;
  auto nested = body.GetObject("features");
  if (auto* failure = std::get_if<FieldError>(&nested)) {
    call->Reply(ValidationError("features", failure->message));
    return std::nullopt;
  }
  const auto& object = std::get<std::optional<JsonBody>>(nested);
  if (!object) return features;
  for (const auto& [name, value] : object->fields()) {
    std::optional<domain::Feature> feature = domain::ParseFeature(name);
    if (!feature) {
      call->Reply(NestedError("features", {name, "is not a known feature"}));
      return std::nullopt;
    }
    const bool* on = std::get_if<bool>(&value);
    if (!on) {
      call->Reply(NestedError("features", {name, "must be true or false"}));
      return std::nullopt;
    }
    features.emplace_back(*feature, *on);
  }
  return features;
}

std::optional<std::vector<std::pair<domain::Quota, std::optional<std::int64_t>>>> ReadQuotas(
    const CallPtr& call, const JsonBody& body) {
  std::vector<std::pair<domain::Quota, std::optional<std::int64_t>>> quotas;
  auto nested = body.GetObject("quotas");
  if (auto* failure = std::get_if<FieldError>(&nested)) {
    call->Reply(ValidationError("quotas", failure->message));
    return std::nullopt;
  }
  const auto& object = std::get<std::optional<JsonBody>>(nested);
  if (!object) return quotas;
  for (const auto& [name, value] : object->fields()) {
    std::optional<domain::Quota> quota = domain::ParseQuota(name);
    if (!quota) {
      call->Reply(NestedError("quotas", {name, "is not a known quota"}));
      return std::nullopt;
    }
    if (std::holds_alternative<std::nullptr_t>(value)) {
      quotas.emplace_back(*quota, std::nullopt);
      continue;
    }
    const auto* limit = std::get_if<std::int64_t>(&value);
    if (!limit || *limit < 0) {
      call->Reply(NestedError("quotas", {name, "must be a whole number >= 0 or null (unlimited)"}));
      return std::nullopt;
    }
    quotas.emplace_back(*quota, *limit);
  }
  return quotas;
}

// Replies with the caller's tenant settings.
void ReplySettings(Services& services, const CallPtr& call, const domain::Id& tenant_id) {
  std::optional<domain::TenantAccess> access = services.engine.directory().GetAccess(tenant_id);
  if (!access) return call->Reply(NotFound("no such tenant"));
  call->Reply(JsonResponse(http::status::ok,
                           SettingsJson(*access, services.engine.directory().CountAgents(tenant_id),
                                        services.mailer ? services.mailer->EmailsThisMonth(tenant_id) : 0,
                                        services.engine.catalog().Get(tenant_id).reopen,
                                        services.engine.AutoCloseAfter(tenant_id))));
}

}  // namespace

void HandleCreatePermissionGroup(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kUsersManage)) return;
  auto body = ReadBody(call, {"name", "permissions"});
  if (!body) return;
  FieldReader fields(*body);
  domain::CreatePermissionGroup command{
      .actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id, .group_id = RandomId()};
  command.name = fields.String("name", true, 1 << 16).value_or("");
  if (fields.error) return call->Reply(std::move(*fields.error));
  auto names = body->GetStringArray("permissions", domain::kPermissionNames.size() * 4, 64);
  if (auto* failure = std::get_if<FieldError>(&names))
    return call->Reply(ValidationError("permissions", failure->message));
  const auto& list = std::get<std::optional<std::vector<std::string>>>(names);
  if (!list) return call->Reply(ValidationError("permissions", "is required"));
  for (const std::string& name : *list) {
    std::optional<domain::Permission> permission = domain::ParsePermission(name);
    if (!permission) return call->Reply(ValidationError("permissions", "\"" + name + "\" is not a known permission"));
    command.permissions |= domain::PermissionSet{*permission};
  }
  services.engine.Submit(
      domain::DirectoryCommand{std::move(command)}, call->correlation_id, [call](CommandOutcome&& outcome) {
        if (ReplyIfFailed(call, outcome)) return;
        const auto& created = std::get<domain::PermissionGroupCreated>(outcome.events.front().payload);
        JsonWriter json;
        WritePermissionGroup(json, domain::PermissionGroup{created.group_id, created.name, created.permissions,
                                                           {}, created.system});
        Response response = JsonResponse(http::status::created, json.Take());
        response.set(http::field::location, "/api/v1/permission-groups/" + created.group_id.ToString());
        call->Reply(std::move(response));
      });
}

void HandleListPermissionGroups(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kUsersManage)) return;
  std::optional<domain::TenantAccess> access = services.engine.directory().GetAccess(call->actor.tenant_id);
  std::vector<const domain::PermissionGroup*> groups;
  if (access)
    for (const auto& [id, group] : access->groups) groups.push_back(&group);
  std::sort(groups.begin(), groups.end(), [](auto* a, auto* b) {
    return a->system != b->system ? a->system : (a->name != b->name ? a->name < b->name : a->id < b->id);
  });
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const domain::PermissionGroup* group : groups) WritePermissionGroup(json, *group);
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

// PUT (add) and DELETE (remove) /api/v1/permission-groups/{id}/members/{user_id}.
void SetMembership(Services& services, const CallPtr& call, bool member) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kUsersManage)) return;
  std::optional<domain::Id> group_id = PathId(call, 0);
  if (!group_id) return;
  std::optional<domain::Id> user_id = PathId(call, 1);
  if (!user_id) return;
  if (!ReadBody(call, {}, /*allow_empty=*/true)) return;
  domain::SetGroupMembership command{.actor = call->actor,
                                     .at = call->now,
                                     .tenant_id = call->actor.tenant_id,
                                     .group_id = *group_id,
                                     .user_id = *user_id,
                                     .member = member};
  services.engine.Submit(domain::DirectoryCommand{command}, call->correlation_id, [call](CommandOutcome&& outcome) {
    if (ReplyIfFailed(call, outcome)) return;
    call->Reply(EmptyResponse(http::status::no_content));
  });
}
void HandleAddGroupMember(Services& services, const CallPtr& call) { SetMembership(services, call, true); }
void HandleRemoveGroupMember(Services& services, const CallPtr& call) { SetMembership(services, call, false); }

void HandleGetSettings(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  ReplySettings(services, call, call->actor.tenant_id);
}

void HandlePatchSettings(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return;
  auto body = ReadBody(call, {"features", "closed_reopen", "auto_close_resolved_after"});
  if (!body) return;
  auto features = ReadFeatures(call, *body);
  if (!features) return;
  domain::ChangeSettings command{.actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id};
  command.features = std::move(*features);
  // workflow (issue 12): "allow", "deny" or "within:<ISO 8601 duration>"
  FieldReader fields(*body);
  if (std::optional<std::string> reopen = fields.String("closed_reopen", false, 64)) {
    command.closed_reopen = domain::ParseReopenPolicy(*reopen);
    if (!command.closed_reopen)
      return call->Reply(ValidationError("closed_reopen", "must be \"allow\", \"deny\" or \"within:\" and a "
                                                          "positive ISO 8601 duration of at most ten years (within:P14D)"));
  }
  if (fields.error) return call->Reply(std::move(*fields.error));
  // workflow (issue 12, wf-sla): a duration, or null for never; applied after the rest.
  std::optional<domain::SetAutoClose> auto_close;
  if (body->Has("auto_close_resolved_after")) {
    auto_close = domain::SetAutoClose{call->actor, call->now, call->actor.tenant_id, std::nullopt};
    if (!body->IsNull("auto_close_resolved_after")) {
      std::optional<std::string> text = fields.String("auto_close_resolved_after", false, 64);
      if (fields.error) return call->Reply(std::move(*fields.error));
      auto_close->after = domain::ParseIsoDuration(*text);
      if (!auto_close->after)
        return call->Reply(ValidationError("auto_close_resolved_after",
                                           "must be a positive ISO 8601 duration of at most ten years (P7D), or null"));
    }
  }
  services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                         [call, &services, auto_close](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           if (!auto_close) return ReplySettings(services, call, call->actor.tenant_id);
                           services.engine.Submit(domain::DirectoryCommand{*auto_close}, call->correlation_id,
                                                  [call, &services](CommandOutcome&& second) {
                                                    if (ReplyIfFailed(call, second)) return;
                                                    ReplySettings(services, call, call->actor.tenant_id);
                                                  });
                         });
}

void HandlePatchLicense(Services& services, const CallPtr& call) {
  std::optional<domain::Id> tenant_id = PathId(call);
  if (!tenant_id) return;
  if (!call->actor.IsPlatformAdmin()) return call->Reply(Forbidden("only the platform admin changes licences"));
  auto body = ReadBody(call, {"features", "quotas"});
  if (!body) return;
  auto features = ReadFeatures(call, *body);
  if (!features) return;
  auto quotas = ReadQuotas(call, *body);
  if (!quotas) return;
  domain::ChangeLicense command{.actor = call->actor, .at = call->now, .tenant_id = *tenant_id};
  command.features = std::move(*features);
  command.quotas = std::move(*quotas);
  services.engine.Submit(domain::DirectoryCommand{std::move(command)}, call->correlation_id,
                         [call, &services, tenant_id = *tenant_id](CommandOutcome&& outcome) {
                           if (ReplyIfFailed(call, outcome)) return;
                           std::optional<domain::TenantAccess> access =
                               services.engine.directory().GetAccess(tenant_id);
                           if (!access) return call->Reply(NotFound("no such tenant"));
                           call->Reply(JsonResponse(http::status::ok, LicenseJson(*access)));
                         });
}

void HandleListAlerts(Services& services, const CallPtr& call) {
  if (!call->actor.IsPlatformAdmin()) return call->Reply(Forbidden("quota alerts are for the platform admin"));
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const auto& [tenant_id, alert] : services.engine.directory().ListAlerts()) {
    json.BeginObject().Key("tenant_id").String(tenant_id.ToString());
    json.Key("quota").String(domain::ToString(alert.quota)).Key("limit").Int(alert.limit);
    json.Key("current").Int(alert.current).Key("at").String(domain::FormatRfc3339(alert.at)).EndObject();
  }
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

}  // namespace ticketd::api

// Outbound mail routes (MAIL.md): the notification log and the digest send.
// The mailer does the work on its own threads; these only ask and answer.
#include "handler_support.h"
#include "handlers.h"
#include "ticketd/app/mailer.h"

namespace ticketd::api {
namespace {

// --smtp off: no mailer; the routes say so instead of pretending.
bool RequireMailer(Services& services, const CallPtr& call) {
  if (services.mailer) return true;
  call->Reply(ErrorResponse(http::status::service_unavailable, "MAIL_OFF",
                            "mail is switched off on this server (--smtp off)"));
  return false;
}

void WriteNotification(JsonWriter& json, const app::NotificationView& v) {
  json.BeginObject();
  json.Key("id").String(v.id.ToString());
  json.Key("event_id");
  WriteOptionalId(json, v.event_id);
  json.Key("ticket_id");
  WriteOptionalId(json, v.ticket_id);
  json.Key("template").String(v.template_name);
  json.Key("recipient").String(v.recipient);
  json.Key("status").String(v.status);
  json.Key("reason");
  v.reason ? json.String(*v.reason) : json.Null();
  json.Key("attempts").Int(v.attempts);
  json.Key("last_error");
  v.last_error ? json.String(*v.last_error) : json.Null();
  json.Key("message_id").String(v.message_id);
  json.Key("queued_at");
  WriteOptionalTime(json, v.queued_at);
  json.Key("sent_at");
  WriteOptionalTime(json, v.sent_at);
  json.Key("next_attempt_at");
  WriteOptionalTime(json, v.next_attempt_at);
  json.EndObject();
}

}  // namespace

void HandleListNotifications(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return;
  app::NotificationFilter filter;
  if (std::optional<std::string> text = ValueOf(call->target, "ticket_id")) {
    filter.ticket_id = domain::Id::Parse(*text);
    if (!filter.ticket_id) return call->Reply(ValidationError("ticket_id", "must be a ticket id (UUID)"));
  }
  if (std::optional<std::string> text = ValueOf(call->target, "status")) {
    if (*text != "queued" && *text != "sent" && *text != "failed" && *text != "dropped")
      return call->Reply(ValidationError("status", "must be queued, sent, failed or dropped"));
    filter.status = *text;
  }
  std::vector<app::NotificationView> items;
  if (services.mailer) {
    Status s = services.mailer->ListNotifications(call->actor.tenant_id, filter, &items);
    if (!s.ok()) return call->Reply(FromStatus(s));
  }
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const app::NotificationView& v : items) WriteNotification(json, v);
  json.EndArray().EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

void HandleSendDigest(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, domain::Permission::kSettingsManage)) return;
  std::optional<JsonBody> body = ReadBody(call, {"date"}, /*allow_empty=*/true);
  if (!body) return;
  FieldReader fields(*body);
  std::optional<std::string> date = fields.String("date", false, 10);
  if (fields.error) return call->Reply(std::move(*fields.error));
  domain::Timestamp day = call->now / domain::kMicrosPerDay * domain::kMicrosPerDay;
  if (date) {
    std::optional<domain::Timestamp> parsed = domain::ParseDate(*date);
    if (!parsed) return call->Reply(ValidationError("date", "must be a date YYYY-MM-DD"));
    day = *parsed;
  }
  if (!RequireMailer(services, call)) return;
  services.mailer->SendDigest(call->actor.tenant_id, day, [call](app::DigestSendResult result) {
    if (!result.status.ok()) return call->Reply(FromStatus(result.status));
    if (result.already_sent)
      return call->Reply(ErrorResponse(http::status::conflict, "ALREADY_SENT",
                                       "the digest of this date was sent already",
                                       "{\"date\":\"" + result.date + "\"}"));
    JsonWriter json;
    json.BeginObject().Key("date").String(result.date).Key("recipients").Int(result.recipients);
    json.Key("skipped").Bool(result.skipped).EndObject();
    call->Reply(JsonResponse(http::status::ok, json.Take()));
  });
}

}  // namespace ticketd::api

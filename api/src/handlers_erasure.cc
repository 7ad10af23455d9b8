// POST /api/v1/erasure: GDPR erasure by crypto-shredding (contract: Erasure).
// The engine appends TicketErased / UserErased; the log destroys the subject's
// data key in the same write, and the engine completes the erasure (purges
// the key from disk, replaces every snapshot) before the answer. A retry of
// an erasure whose completion failed or was cut by a crash completes it.
#include "handler_support.h"
#include "handlers.h"

namespace ticketd::api {
namespace {

void ReplyErased(const CallPtr& call, std::string_view subject_type, const domain::Id& id,
                 const CommandOutcome& outcome) {
  if (!outcome.status.ok() && outcome.erased_at) {
    // Committed, but not yet gone from every file: not "erased" until a
    // retry (or the next start) completes it.
    Response response = ErrorResponse(http::status::service_unavailable, "STORAGE_UNAVAILABLE",
                                      "the erasure is recorded, but removing its traces from disk failed; "
                                      "retry the request to complete it");
    response.set(http::field::retry_after, "1");
    return call->Reply(std::move(response));
  }
  if (ReplyIfFailed(call, outcome)) return;
  JsonWriter json;
  json.BeginObject();
  json.Key("subject_type").String(subject_type);
  json.Key("id").String(id.ToString());
  json.Key("erased_at").String(domain::FormatRfc3339(outcome.erased_at.value_or(call->now)));
  json.EndObject();
  call->Reply(JsonResponse(http::status::ok, json.Take()));
}

}  // namespace

void HandleErasure(Services& services, const CallPtr& call) {
  auto body = ReadBody(call, {"subject_type", "id"});
  if (!body) return;
  FieldReader fields(*body);
  std::optional<std::string> subject_type = fields.String("subject_type", true, 16);
  std::optional<std::string> id_text = fields.String("id", true, 64);
  if (fields.error) return call->Reply(std::move(*fields.error));
  if (*subject_type != "ticket" && *subject_type != "user")
    return call->Reply(ValidationError("subject_type", "must be \"ticket\" or \"user\""));
  std::optional<domain::Id> id = domain::Id::Parse(*id_text);
  if (!id) return call->Reply(ValidationError("id", "must be a UUID"));
  if (!RequireTenantUser(call)) return;
  if (!RequirePermission(call, *subject_type == "ticket" ? domain::kTenantAdministration
                                                         : domain::Permission::kUsersManage))
    return;

  if (*subject_type == "ticket") {
    services.engine.Submit(domain::TicketCommand{domain::EraseTicket{MakeHeader(call, *id)}}, call->correlation_id,
                           [call, id = *id](CommandOutcome&& outcome) { ReplyErased(call, "ticket", id, outcome); });
    return;
  }
  domain::EraseUser command{
      .actor = call->actor, .at = call->now, .tenant_id = call->actor.tenant_id, .user_id = *id};
  services.engine.Submit(domain::DirectoryCommand{command}, call->correlation_id,
                         [call, id = *id](CommandOutcome&& outcome) { ReplyErased(call, "user", id, outcome); });
}

}  // namespace ticketd::api

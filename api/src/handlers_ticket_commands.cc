// Ticket commands: create, PATCH, status, assignment, claim, comments, delete.
#include "handler_support.h"
#include "handlers.h"
#include "handlers_attachments.h"
#include "ticketd/app/ids.h"
#include "ticketd/projections/views.h"

namespace ticketd::api {
namespace {

// A ticket id for a create: time-ordered (ids.h), or derived from Idempotency-Key so a
// retry lands on the same ticket (the engine then answers the original).
domain::Id NewTicketId(const CallPtr& call) {
  auto it = call->request.find("Idempotency-Key");
  if (it == call->request.end() || it->value().empty()) return app::TimeOrderedId();
  std::string name =
      "ticket|" + call->actor.tenant_id.ToString() + "|" + call->actor.user_id.ToString() + "|";
  name.append(it->value().data(), it->value().size());
  return app::DerivedId(name);
}

}  // namespace

void HandleCreateTicket(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (IsMultipartForm(*call)) return HandleMultipartForm(services, call, HandleCreateTicket);
  // The public API (an API key) may file on behalf of a user: reporter_id.
  auto body = call->api_key_id ? ReadBody(call, {"subject", "description", "priority", "type", "category",
                                                 "assignee_id", "asset_id", "due_at", "reporter_id", "group_id",
                                                 "category_id", "subcategory_id"})
                               : ReadBody(call, {"subject", "description", "priority", "type", "category",
                                                 "assignee_id", "asset_id", "due_at", "group_id", "category_id",
                                                 "subcategory_id"});
  if (!body) return;
  FieldReader fields(*body);
  domain::CreateTicket command;
  command.header = MakeHeader(call, NewTicketId(call));
  // Length limits are the decider's (it names the field); the reader only
  // guards against absurd sizes before copying.
  command.subject = fields.String("subject", true, 1 << 20).value_or("");
  command.description = fields.String("description", true, 1 << 20).value_or("");
  command.priority = fields.EnumValue<domain::Priority>("priority", false, domain::ParsePriority)
                         .value_or(domain::Priority::kMedium);
  command.type = fields.EnumValue<domain::TicketType>("type", false, domain::ParseTicketType)
                     .value_or(domain::TicketType::kIncident);
  if (!body->IsNull("category")) command.category = fields.String("category", false, 1 << 20).value_or("");
  command.assignee_id = fields.NullableId("assignee_id", false).value_or(std::nullopt);
  command.asset_id = fields.NullableId("asset_id", false).value_or(std::nullopt);
  command.due_at = fields.NullableTime("due_at").value_or(std::nullopt);
  command.reporter_id = fields.NullableId("reporter_id", false).value_or(std::nullopt);
  command.group_id = fields.NullableId("group_id", false).value_or(std::nullopt);
  command.category_id = fields.NullableId("category_id", false).value_or(std::nullopt);
  command.subcategory_id = fields.NullableId("subcategory_id", false).value_or(std::nullopt);
  if (fields.error) return call->Reply(std::move(*fields.error));
  if (command.reporter_id) {
    std::optional<domain::User> reporter = services.engine.directory().FindUserAnyTenant(*command.reporter_id);
    if (!reporter || reporter->erased_at) return call->Reply(ValidationError("reporter_id", "no such user"));
    if (reporter->tenant_id != call->actor.tenant_id)
      return call->Reply(FromDomainError(domain::MakeError(domain::ErrorCode::kCrossTenantReference,
                                                           "the reporter belongs to another tenant", "reporter_id")));
  }
  SubmitTicketCommand(services, call, std::move(command), http::status::created);
}

void HandlePatchTicket(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return;
  domain::UpdateTicket command;
  command.header = MakeHeader(call, *ticket_id);
  if (!ReadIfMatch(call, &command.header.expected_version)) return;
  auto body = ReadBody(call, {"subject", "description", "priority", "category", "due_at", "asset_id", "group_id",
                              "category_id", "subcategory_id"});
  if (!body) return;
  FieldReader fields(*body);
  command.subject = fields.String("subject", false, 1 << 20);
  command.description = fields.String("description", false, 1 << 20);
  if (body->IsNull("category")) {
    command.category = std::string();
  } else {
    command.category = fields.String("category", false, 1 << 20);
  }
  command.priority = fields.EnumValue<domain::Priority>("priority", false, domain::ParsePriority);
  command.due_at = fields.NullableTime("due_at");
  command.asset_id = fields.NullableId("asset_id", false);
  command.group_id = fields.NullableId("group_id", false);
  command.category_id = fields.NullableId("category_id", false);
  command.subcategory_id = fields.NullableId("subcategory_id", false);
  if (fields.error) return call->Reply(std::move(*fields.error));
  SubmitTicketCommand(services, call, std::move(command), http::status::ok);
}

void HandleChangeStatus(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return;
  domain::ChangeStatus command;
  command.header = MakeHeader(call, *ticket_id);
  if (!ReadIfMatch(call, &command.header.expected_version)) return;
  auto body = ReadBody(call, {"status", "comment"});
  if (!body) return;
  FieldReader fields(*body);
  command.to = fields.EnumValue<domain::TicketStatus>("status", true, domain::ParseStatus)
                   .value_or(domain::TicketStatus::kOpen);
  if (!body->IsNull("comment")) command.comment = fields.String("comment", false, 1 << 20);
  command.comment_id = app::RandomId();
  if (fields.error) return call->Reply(std::move(*fields.error));
  SubmitTicketCommand(services, call, std::move(command), http::status::ok);
}

void HandleAssign(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return;
  domain::AssignTicket command;
  command.header = MakeHeader(call, *ticket_id);
  if (!ReadIfMatch(call, &command.header.expected_version)) return;
  auto body = ReadBody(call, {"assignee_id"});
  if (!body) return;
  FieldReader fields(*body);
  command.assignee_id = fields.NullableId("assignee_id", true).value_or(std::nullopt);
  if (fields.error) return call->Reply(std::move(*fields.error));
  SubmitTicketCommand(services, call, std::move(command), http::status::ok);
}

void HandleClaim(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return;
  domain::ClaimTicket command;
  command.header = MakeHeader(call, *ticket_id);
  if (!ReadIfMatch(call, &command.header.expected_version)) return;
  if (!ReadBody(call, {}, /*allow_empty=*/true)) return;
  SubmitTicketCommand(services, call, std::move(command), http::status::ok);
}

void HandleAddComment(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  if (IsMultipartForm(*call)) return HandleMultipartForm(services, call, HandleAddComment);
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return;
  auto body = ReadBody(call, {"body", "internal"});
  if (!body) return;
  FieldReader fields(*body);
  domain::AddComment command;
  command.header = MakeHeader(call, *ticket_id);
  command.body = fields.String("body", true, 1 << 20).value_or("");
  command.internal = fields.Bool("internal").value_or(false);
  command.comment_id = app::RandomId();
  if (fields.error) return call->Reply(std::move(*fields.error));
  command.attachments = call->attachments.Take();
  services.engine.Submit(std::move(command), call->correlation_id, [call](CommandOutcome&& outcome) {
    if (ReplyIfFailed(call, outcome)) return;
    for (const domain::DomainEvent& event : outcome.events) {
      const auto* added = std::get_if<domain::CommentAdded>(&event.payload);
      if (!added) continue;
      JsonWriter json;
      WriteComment(json, projections::Comment{added->comment_id, event.actor_id, added->body, added->internal,
                                              event.at});
      Response response = JsonResponse(http::status::created, json.Take());
      AddAttachmentsArray(response, outcome.events);
      response.set(http::field::location, "/api/v1/tickets/" + event.stream_id.ToString() + "/comments");
      return call->Reply(std::move(response));
    }
    call->Reply(NotFound("no such ticket"));
  });
}

void HandleDeleteTicket(Services& services, const CallPtr& call) {
  if (!RequireTenantUser(call)) return;
  std::optional<domain::Id> ticket_id = PathId(call);
  if (!ticket_id) return;
  domain::DeleteTicket command;
  command.header = MakeHeader(call, *ticket_id);
  if (!ReadIfMatch(call, &command.header.expected_version)) return;
  services.engine.Submit(std::move(command), call->correlation_id, [call](CommandOutcome&& outcome) {
    if (ReplyIfFailed(call, outcome)) return;
    call->Reply(EmptyResponse(http::status::no_content));
  });
}

}  // namespace ticketd::api

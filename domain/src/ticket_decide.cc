// DecideTicket: the ticket aggregate's rules (contract: State machine, Roles;
// docs/api-decisions.md for what the contract leaves open).
#include "text_rules.h"
#include "ticket_workflow.h"
#include "ticketd/domain/status_facts.h"
#include "ticketd/domain/directory.h"
#include "ticketd/domain/overloaded.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::domain {
namespace {

using Events = std::vector<DomainEvent>;
using Decision = Result<Events, DomainError>;

Err<DomainError> Lacks(Permission permission, std::string message) {
  return Err{MissingPermission(permission, std::move(message))};
}

DomainError InvalidTransition(TicketStatus from, TicketStatus to) {
  DomainError e =
      MakeError(ErrorCode::kInvalidTransition, "cannot move a ticket from " + std::string(ToString(from)) +
                                                   " to " + std::string(ToString(to)));
  e.from = from;
  e.to = to;
  auto allowed = AllowedTransitions(from);
  e.allowed.assign(allowed.begin(), allowed.end());
  return e;
}

DomainEvent MakeEvent(const CommandHeader& h, const Id& tenant_id, EventPayload payload) {
  return DomainEvent{tenant_id, h.ticket_id, h.at, h.actor.user_id, std::move(payload)};
}

std::optional<DomainError> CheckSubject(const std::string& s) {
  return CheckText("subject", s, 1, kMaxSubjectChars, LineRule::kSingleLine);
}
std::optional<DomainError> CheckDescription(const std::string& s) {
  return CheckText("description", s, 0, kMaxDescriptionChars, LineRule::kMultiLine);
}
std::optional<DomainError> CheckCategory(const std::string& s) {
  return CheckText("category", s, 0, kMaxCategoryChars, LineRule::kSingleLine);
}
std::optional<DomainError> CheckComment(const std::string& s) {
  return CheckText("body", s, 1, kMaxCommentChars, LineRule::kMultiLine);
}

// Personal text can no longer be sealed for an erased ticket: its key is gone.
std::optional<DomainError> CheckNotErased(const Ticket& t) {
  if (!t.erased_at) return std::nullopt;
  return MakeError(ErrorCode::kSubjectErased, "this ticket's personal data was erased; it takes no new text");
}

// assignee_id: must exist, be in the actor's tenant, and have agent rights.
std::optional<DomainError> CheckAssignee(const Actor& actor, const std::optional<UserFacts>& facts) {
  if (!facts) return MakeError(ErrorCode::kValidation, "no such user", "assignee_id");
  if (facts->tenant_id != actor.tenant_id)
    return MakeError(ErrorCode::kCrossTenantReference, "the assignee belongs to another tenant",
                     "assignee_id");
  if (!facts->can_manage_tickets)
    return MakeError(ErrorCode::kValidation, "the assignee must hold tickets:manage (an agent, an admin, "
                     "in the IT department or in a group that grants it)", "assignee_id");
  return std::nullopt;
}

std::optional<DomainError> CheckAsset(const Actor& actor, const std::optional<AssetFacts>& facts) {
  if (!facts) return MakeError(ErrorCode::kValidation, "no such asset", "asset_id");
  if (facts->tenant_id != actor.tenant_id)
    return MakeError(ErrorCode::kCrossTenantReference, "the asset belongs to another tenant", "asset_id");
  return std::nullopt;
}

// One attachment.added per file, after the event the files belong to.
void AppendAttachments(const CommandHeader& header, const Id& tenant_id, const std::optional<Id>& comment_id,
                       bool internal, const std::vector<NewAttachment>& files, Events* events) {
  for (const NewAttachment& file : files) {
    events->push_back(MakeEvent(header, tenant_id,
                                AttachmentAdded{file.attachment_id, comment_id, internal, file.filename,
                                                file.content_type, file.size, file.sha256}));
  }
}

Decision Create(const TicketState& state, const CreateTicket& c, const TicketContext& ctx) {
  const Actor& actor = c.header.actor;
  if (actor.IsPlatformAdmin()) return Fail(ErrorCode::kForbidden, "the platform admin does not file tickets");
  if (!Can(actor, Permission::kTicketsCreate))
    return Lacks(Permission::kTicketsCreate, "filing tickets needs tickets:create");
  if (state.phase != TicketState::Phase::kNew)
    return Fail(ErrorCode::kValidation, "ticket id already used", "id");
  if (auto e = CheckSubject(c.subject)) return Err{*e};
  if (auto e = CheckDescription(c.description)) return Err{*e};
  if (auto e = CheckCategory(c.category)) return Err{*e};
  if (c.assignee_id) {
    if (!Can(actor, Permission::kTicketsManage))
      return Lacks(Permission::kTicketsManage, "assigning tickets needs tickets:manage");
    if (auto e = CheckAssignee(actor, ctx.assignee)) return Err{*e};
  }
  if (c.asset_id && ctx.asset_integration) {
    if (auto e = CheckAsset(actor, ctx.asset)) return Err{*e};
  }
  auto catalog = DecideCatalogFields(ctx, {}, CatalogRequestOf(c));
  if (!catalog.ok()) return Err{catalog.error()};
  TicketCreated created;
  created.ticket_id = c.header.ticket_id;
  created.number = ctx.next_number;
  created.number_text = FormatTicketNumber(ctx.ticket_prefix, ctx.next_number);
  created.subject = c.subject;
  created.description = c.description;
  created.priority = c.priority;
  created.type = c.type;
  created.category = c.category;
  created.reporter_id = c.reporter_id.value_or(actor.user_id);
  created.assignee_id = c.assignee_id;
  if (ctx.asset_integration) created.asset_id = c.asset_id;  // off: ignored, stays null
  created.due_at = c.due_at;
  created.group_id = catalog.value().choice.group_id;
  created.category_id = catalog.value().choice.category_id;
  created.subcategory_id = catalog.value().choice.subcategory_id;
  if (catalog.value().category_name) created.category = *catalog.value().category_name;
  Events events{MakeEvent(c.header, actor.tenant_id, created)};
  if (!created.assignee_id)
    if (auto assigned = AutoAssignment(c.header, actor.tenant_id, ctx, created.group_id))
      events.push_back(std::move(*assigned));
  AppendAttachments(c.header, actor.tenant_id, std::nullopt, false, c.attachments, &events);
  return events;
}

Decision Update(const Ticket& t, const UpdateTicket& c, const TicketContext& ctx) {
  const Actor& actor = c.header.actor;
  const CatalogRequest catalog_request = CatalogRequestOf(c);
  if (!c.subject && !c.description && !c.category && !c.priority && !c.due_at && !c.asset_id &&
      catalog_request.Empty())
    return Fail(ErrorCode::kValidation, "no field to change");
  const bool manage = Can(actor, Permission::kTicketsManage);
  const bool reporter = t.reporter_id == actor.user_id;
  // asset_integration off: asset_id is ignored (ACCESS.md "Effects").
  const std::optional<Nullable<Id>> asset_id = ctx.asset_integration ? c.asset_id : std::nullopt;
  if ((c.subject || c.description) && !manage && !reporter)
    return Lacks(Permission::kTicketsManage, "editing another's ticket needs tickets:manage");
  if ((c.category || asset_id || !catalog_request.Empty()) && !manage)
    return Lacks(Permission::kTicketsManage, "changing category, catalog entries and asset needs tickets:manage");
  if ((c.priority || c.due_at) && !Can(actor, Permission::kTicketsPrioritize))
    return Lacks(Permission::kTicketsPrioritize, "changing priority and due date needs tickets:prioritize");
  if (c.subject || c.description)
    if (auto e = CheckNotErased(t)) return Err{*e};
  if (c.subject)
    if (auto e = CheckSubject(*c.subject)) return Err{*e};
  if (c.description)
    if (auto e = CheckDescription(*c.description)) return Err{*e};
  if (c.category)
    if (auto e = CheckCategory(*c.category)) return Err{*e};
  if (asset_id && *asset_id && **asset_id != t.asset_id)
    if (auto e = CheckAsset(actor, ctx.asset)) return Err{*e};
  const CatalogChoice current{t.group_id, t.category_id, t.subcategory_id};
  auto catalog = DecideCatalogFields(ctx, current, catalog_request);
  if (!catalog.ok()) return Err{catalog.error()};
  const CatalogChoice& after = catalog.value().choice;
  std::optional<std::string> category = c.category;
  if (catalog.value().category_name) category = catalog.value().category_name;  // category_id names it

  TicketUpdated u;
  bool any = false;
  auto take = [&any](auto& slot, const auto& requested, const auto& current) {
    if (requested && *requested != current) {
      slot = *requested;
      any = true;
    }
  };
  take(u.subject, c.subject, t.subject);
  take(u.description, c.description, t.description);
  take(u.category, category, t.category);
  take(u.priority, c.priority, t.priority);
  take(u.due_at, c.due_at, t.due_at);
  take(u.asset_id, asset_id, t.asset_id);
  take(u.group_id, std::optional<Nullable<Id>>(after.group_id), t.group_id);
  take(u.category_id, std::optional<Nullable<Id>>(after.category_id), t.category_id);
  take(u.subcategory_id, std::optional<Nullable<Id>>(after.subcategory_id), t.subcategory_id);
  if (!any) return Events{};
  Events events{MakeEvent(c.header, t.tenant_id, u)};
  // Moved into a group while unassigned: the group's rule assigns it now.
  if (u.group_id && !t.assignee_id && !IsTerminal(t.status))
    if (auto assigned = AutoAssignment(c.header, t.tenant_id, ctx, after.group_id))
      events.push_back(std::move(*assigned));
  return events;
}

Decision Status(const Ticket& t, const ChangeStatus& c, const TicketContext& ctx) {
  const Actor& actor = c.header.actor;
  if (!IsTransitionAllowed(t.status, c.to)) return Err{InvalidTransition(t.status, c.to)};
  if (auto missing = MissingForStatusChange(actor, t, c.to))
    return Lacks(*missing, "this status change needs " + std::string(ToString(*missing)));
  if (auto e = CheckReopen(ctx, t, c.to, c.header.at)) {
    DomainError refused = InvalidTransition(t.status, c.to);
    refused.message = e->message;
    refused.reason = e->reason;
    return Err{refused};
  }
  if (c.comment) {
    if (auto e = CheckNotErased(t)) return Err{*e};
    if (auto e = CheckComment(*c.comment)) return Err{DomainError{e->code, e->message, "comment"}};
  }
  Events events{MakeEvent(c.header, t.tenant_id, TicketStatusChanged{t.status, c.to, {}})};
  if (c.comment) {
    events.push_back(MakeEvent(c.header, t.tenant_id, CommentAdded{c.comment_id, *c.comment, false}));
    AppendAttachments(c.header, t.tenant_id, c.comment_id, false, c.attachments, &events);
  }
  return events;
}

Decision Assign(const Ticket& t, const AssignTicket& c, const TicketContext& ctx) {
  const Actor& actor = c.header.actor;
  if (!Can(actor, Permission::kTicketsManage))
    return Lacks(Permission::kTicketsManage, "assigning tickets needs tickets:manage");
  if (IsTerminal(t.status))
    return Fail(ErrorCode::kTicketClosed, "a closed or cancelled ticket cannot be assigned; reopen it first");
  if (c.assignee_id)
    if (auto e = CheckAssignee(actor, ctx.assignee)) return Err{*e};
  if (c.assignee_id == t.assignee_id) return Events{};
  return Events{MakeEvent(c.header, t.tenant_id, TicketAssigned{c.assignee_id, AssignmentMode::kManual})};
}

Decision Claim(const Ticket& t, const ClaimTicket& c) {
  const Actor& actor = c.header.actor;
  if (!Can(actor, Permission::kTicketsManage))
    return Lacks(Permission::kTicketsManage, "claiming tickets needs tickets:manage");
  if (t.status != TicketStatus::kInProgress && !IsTransitionAllowed(t.status, TicketStatus::kInProgress))
    return Err{InvalidTransition(t.status, TicketStatus::kInProgress)};
  Events events;
  if (t.assignee_id != actor.user_id)
    events.push_back(MakeEvent(c.header, t.tenant_id, TicketAssigned{actor.user_id, AssignmentMode::kManual}));
  if (t.status != TicketStatus::kInProgress)
    events.push_back(
        MakeEvent(c.header, t.tenant_id, TicketStatusChanged{t.status, TicketStatus::kInProgress, {}}));
  return events;
}

Decision Comment(const Ticket& t, const AddComment& c) {
  if (c.internal && !CanSeeInternalComments(c.header.actor))
    return Lacks(Permission::kTicketsManage, "internal comments need tickets:manage");
  if (auto e = CheckNotErased(t)) return Err{*e};
  if (auto e = CheckComment(c.body)) return Err{*e};
  Events events{MakeEvent(c.header, t.tenant_id, CommentAdded{c.comment_id, c.body, c.internal})};
  AppendAttachments(c.header, t.tenant_id, c.comment_id, c.internal, c.attachments, &events);
  return events;
}

// Who may comment may attach; the files were checked by the shell's policy.
Decision Attach(const Ticket& t, const AttachFiles& c) {
  if (c.internal && !CanSeeInternalComments(c.header.actor))
    return Lacks(Permission::kTicketsManage, "internal comments need tickets:manage");
  if (auto e = CheckNotErased(t)) return Err{*e};
  if (c.files.empty()) return Fail(ErrorCode::kValidation, "no file to attach");
  Events events;
  AppendAttachments(c.header, t.tenant_id, c.comment_id, c.internal, c.files, &events);
  return events;
}

Decision Erase(const TicketState& state, const EraseTicket& c) {
  if (!Can(c.header.actor, kTenantAdministration))
    return Lacks(kTenantAdministration, "erasing personal data needs settings:manage (admins)");
  const Ticket& t = state.ticket;
  if (state.phase == TicketState::Phase::kNew || t.tenant_id != c.header.actor.tenant_id)
    return Fail(ErrorCode::kNotFound, "no such ticket");
  if (t.erased_at) return Events{};  // idempotent: the key is already destroyed
  return Events{MakeEvent(c.header, t.tenant_id, TicketErased{})};
}

Decision Delete(const Ticket& t, const DeleteTicket& c) {
  if (!Can(c.header.actor, kTenantAdministration))
    return Lacks(kTenantAdministration, "deleting tickets needs settings:manage (admins)");
  return Events{MakeEvent(c.header, t.tenant_id, TicketDeleted{t})};
}

}  // namespace

Decision DecideTicket(const TicketState& state, const TicketCommand& command, const TicketContext& context) {
  if (const auto* create = std::get_if<CreateTicket>(&command)) return Create(state, *create, context);
  const CommandHeader& header = HeaderOf(command);
  const Actor& actor = header.actor;
  // The system's own deadlines (no person acts: the event has no actor).
  if (const auto* timer = std::get_if<FireTimer>(&command)) return DecideTimer(state, *timer, context);
  if (actor.IsPlatformAdmin()) return Fail(ErrorCode::kForbidden, "the platform admin does not work tickets");
  if (const auto* erase = std::get_if<EraseTicket>(&command)) return Erase(state, *erase);
  if (state.phase != TicketState::Phase::kLive || !CanReadTicket(actor, state.ticket))
    return Fail(ErrorCode::kNotFound, "no such ticket");
  const Ticket& t = state.ticket;
  if (header.expected_version && *header.expected_version != t.version) {
    DomainError e = MakeError(ErrorCode::kVersionConflict, "the ticket changed since you read it (If-Match)");
    e.expected_version = *header.expected_version;
    e.actual_version = t.version;
    return Err{e};
  }
  return std::visit(
      Overloaded{
          [&](const CreateTicket&) -> Decision { return Fail(ErrorCode::kValidation, "unreachable"); },
          [&](const UpdateTicket& c) { return Update(t, c, context); },
          [&](const ChangeStatus& c) { return Status(t, c, context); },
          [&](const AssignTicket& c) { return Assign(t, c, context); },
          [&](const ClaimTicket& c) { return Claim(t, c); },
          [&](const AddComment& c) { return Comment(t, c); },
          [&](const DeleteTicket& c) { return Delete(t, c); },
          [&](const AttachFiles& c) { return Attach(t, c); },
          [&](const EraseTicket&) -> Decision { return Fail(ErrorCode::kValidation, "unreachable"); },
          [&](const FireTimer&) -> Decision { return Fail(ErrorCode::kValidation, "unreachable"); },
      },
      command);
}

}  // namespace ticketd::domain

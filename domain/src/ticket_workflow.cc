#include "ticket_workflow.h"

#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {
namespace {

const Catalog& CatalogOf(const TicketContext& ctx) {
  static const Catalog kEmpty;
  return ctx.catalog ? *ctx.catalog : kEmpty;
}

}  // namespace

CatalogRequest CatalogRequestOf(const TicketCommand& command) {
  CatalogRequest request;
  if (const auto* c = std::get_if<CreateTicket>(&command)) {
    if (c->group_id) request.group_id = c->group_id;
    if (c->category_id) request.category_id = c->category_id;
    if (c->subcategory_id) request.subcategory_id = c->subcategory_id;
  } else if (const auto* u = std::get_if<UpdateTicket>(&command)) {
    request.group_id = u->group_id;
    request.category_id = u->category_id;
    request.subcategory_id = u->subcategory_id;
  }
  return request;
}

Result<CatalogFields, DomainError> DecideCatalogFields(const TicketContext& ctx, const CatalogChoice& current,
                                                       const CatalogRequest& request) {
  const Catalog& catalog = CatalogOf(ctx);
  CatalogFields fields;
  fields.choice = ResolveCatalogChoice(catalog, current, request);
  const CatalogChoice& after = fields.choice;
  const CatalogFieldsSet changed{after.group_id != current.group_id, after.category_id != current.category_id,
                                 after.subcategory_id != current.subcategory_id};
  if (auto e = CheckCatalogChoice(catalog, after, changed)) {
    // A parent brought along for a child names the child the caller gave.
    if (e->field == "group_id" && !request.group_id) e->field = request.category_id ? "category_id" : "subcategory_id";
    if (e->field == "category_id" && !request.category_id) e->field = "subcategory_id";
    return Err{*e};
  }
  if (changed.category && after.category_id) fields.category_name = catalog.Find(*after.category_id)->name;
  return fields;
}

std::optional<DomainEvent> AutoAssignment(const CommandHeader& header, const Id& tenant_id,
                                          const TicketContext& ctx, const std::optional<Id>& group_id) {
  if (!group_id || !ctx.assignment || ctx.assignment->group_id != *group_id) return std::nullopt;
  std::optional<Id> pick = PickAssignee(*ctx.assignment);
  if (!pick) return std::nullopt;
  return DomainEvent{tenant_id, header.ticket_id, header.at, header.actor.user_id,
                     TicketAssigned{*pick, ctx.assignment->mode}};
}

std::optional<DomainError> CheckReopen(const TicketContext& ctx, const Ticket& t, TicketStatus to, Timestamp at) {
  if (t.status != TicketStatus::kClosed || to == TicketStatus::kClosed) return std::nullopt;
  return CheckReopenPolicy(CatalogOf(ctx).reopen, t.closed_at.value_or(t.updated_at), at);
}

}  // namespace ticketd::domain

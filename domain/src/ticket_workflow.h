// The workflow's part of the ticket decider (WORKFLOW.md): catalog fields on
// create and PATCH, automatic assignment, the reopen policy.
#pragma once

#include <optional>
#include <string>

#include "ticketd/domain/ticket.h"

namespace ticketd::domain {

// The ticket's catalog fields after the command, validated.
struct CatalogFields {
  CatalogChoice choice;
  std::optional<std::string> category_name;  // set when the category entry changes to one
};
Result<CatalogFields, DomainError> DecideCatalogFields(const TicketContext& ctx, const CatalogChoice& current,
                                                       const CatalogRequest& request);

// The group's automatic pick as an event, when the ticket lands unassigned
// in a group whose mode is automatic and a member is eligible.
std::optional<DomainEvent> AutoAssignment(const CommandHeader& header, const Id& tenant_id,
                                          const TicketContext& ctx, const std::optional<Id>& group_id);

// INVALID_TRANSITION with reason "reopen_policy" when the tenant's policy
// forbids reopening this closed ticket now.
std::optional<DomainError> CheckReopen(const TicketContext& ctx, const Ticket& t, TicketStatus to, Timestamp at);

}  // namespace ticketd::domain

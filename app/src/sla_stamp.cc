#include "sla_stamp.h"

#include "ticketd/app/time_zones.h"
#include "ticketd/domain/status_facts.h"

namespace ticketd::app {
namespace {

using domain::Ticket;

domain::SlaTicketFacts FactsOf(const Ticket& ticket) {
  return domain::SlaTicketFacts{ticket.priority, ticket.type, ticket.group_id};
}

// Whether an event changes which policy governs the ticket.
bool ChoosesAgain(const domain::EventPayload& payload) {
  if (std::holds_alternative<domain::TicketCreated>(payload)) return true;
  if (const auto* updated = std::get_if<domain::TicketUpdated>(&payload))
    return updated->priority.has_value() || updated->group_id.has_value();
  if (const auto* sla = std::get_if<domain::SlaTicketEvent>(&payload)) {
    const auto* escalated = std::get_if<domain::SlaEscalated>(sla);
    return escalated && escalated->raised_to;
  }
  return false;
}

bool IsStaff(const domain::TenantState& tenant, const domain::Id& user_id) {
  auto user = tenant.users.find(user_id);
  return user != tenant.users.end() &&
         domain::EffectivePermissions(tenant.access, user->second).Has(domain::Permission::kTicketsManage);
}

// Sets the reading from `policy` (or clears it), keeping recorded breaches.
void Stamp(Ticket& ticket, const domain::SlaPolicy* policy) {
  if (!policy) {
    ticket.sla.reset();
    return;
  }
  domain::SlaTargetList breached = ticket.sla ? ticket.sla->breached : domain::SlaTargetList{};
  ticket.sla = domain::TicketSla{
      policy->policy_id,
      domain::ComputeSlaClock(*policy, ZoneClockFor(policy->calendar.time_zone), ticket.created_at,
                              ticket.sla_history),
      std::move(breached)};
}

const domain::SlaPolicy* Governing(const Ticket& ticket, const domain::TenantState& tenant, bool choose_again) {
  if (!choose_again && ticket.sla) {
    if (const domain::SlaPolicy* current = tenant.sla.Find(ticket.sla->policy_id)) return current;
  }
  return domain::ChoosePolicy(tenant.sla.policies, FactsOf(ticket));
}

}  // namespace

void StampSlaAfterEvent(Ticket& ticket, const domain::DomainEvent& event, const domain::TenantState* tenant) {
  if (!tenant) return;
  if (const auto* comment = std::get_if<domain::CommentAdded>(&event.payload)) {
    if (!comment->internal && !ticket.sla_history.first_staff_comment_at && IsStaff(*tenant, event.actor_id))
      ticket.sla_history.first_staff_comment_at = event.at;
  }
  const bool choose_again = ChoosesAgain(event.payload);
  if (!choose_again && !ticket.sla) return;  // a policy is chosen only at those moments
  Stamp(ticket, Governing(ticket, *tenant, choose_again));
}

bool RestampSla(Ticket& ticket, const domain::TenantState& tenant) {
  if (!ticket.sla || domain::IsTerminal(ticket.status)) return false;
  const std::optional<domain::TicketSla> before = ticket.sla;
  Stamp(ticket, Governing(ticket, tenant, /*choose_again=*/false));
  return ticket.sla != before;
}

}  // namespace ticketd::app

// Folding the SLA events; their type tags.
#include "ticketd/domain/sla_events.h"

#include <algorithm>

#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {

std::string_view SlaEventTypeName(const SlaDirectoryEvent& event) {
  return std::visit(Overloaded{
                        [](const SlaPolicySaved&) { return std::string_view("sla_policy.saved"); },
                        [](const SlaPolicyDeleted&) { return std::string_view("sla_policy.deleted"); },
                        [](const AutoCloseChanged&) { return std::string_view("settings.auto_close_changed"); },
                    },
                    event);
}

std::string_view SlaEventTypeName(const SlaTicketEvent& event) {
  return std::visit(Overloaded{
                        [](const SlaBreached&) { return std::string_view("sla.breached"); },
                        [](const SlaEscalated&) { return std::string_view("sla.escalated"); },
                    },
                    event);
}

const SlaPolicy* SlaSettings::Find(const Id& policy_id) const {
  auto it = std::find_if(policies.begin(), policies.end(),
                         [&](const SlaPolicy& policy) { return policy.policy_id == policy_id; });
  return it == policies.end() ? nullptr : &*it;
}

void EvolveSlaSettings(SlaSettings& settings, const SlaDirectoryEvent& event) {
  std::visit(Overloaded{
                 [&](const SlaPolicySaved& e) {
                   auto it = std::find_if(settings.policies.begin(), settings.policies.end(),
                                          [&](const SlaPolicy& p) { return p.policy_id == e.policy.policy_id; });
                   if (it == settings.policies.end()) settings.policies.push_back(e.policy);
                   else *it = e.policy;
                 },
                 [&](const SlaPolicyDeleted& e) {
                   std::erase_if(settings.policies, [&](const SlaPolicy& p) { return p.policy_id == e.policy_id; });
                 },
                 [&](const AutoCloseChanged& e) { settings.auto_close_after = e.after; },
             },
             event);
}

void EvolveTicketSla(Ticket& ticket, const SlaTicketEvent& event) {
  std::visit(Overloaded{
                 [&](const SlaBreached& e) {
                   if (!ticket.sla) return;
                   ticket.sla->breached.push_back(e.target);  // once per target
                 },
                 [&](const SlaEscalated& e) {
                   if (e.raised_to) ticket.priority = *e.raised_to;
                 },
             },
             event);
}

}  // namespace ticketd::domain

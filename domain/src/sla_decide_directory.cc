// The SLA policy and auto-close commands (WORKFLOW.md "SLA policies",
// "Time-driven transitions"): settings:manage, validated, one event each.
#include "directory_rules.h"
#include "ticketd/domain/directory.h"

namespace ticketd::domain {
namespace {

std::optional<DomainError> CheckAllowed(const TenantState& state, const Actor& actor, const Id& tenant_id) {
  if (auto e = CheckTenantPermission(actor, tenant_id, Permission::kSettingsManage, false)) return e;
  if (!state.exists) return MakeError(ErrorCode::kNotFound, "no such tenant");
  return std::nullopt;
}

}  // namespace

DirectoryDecision DecideSla(const TenantState& state, const SaveSlaPolicy& c) {
  if (auto e = CheckAllowed(state, c.actor, c.tenant_id)) return Err{*e};
  const bool exists = state.sla.Find(c.policy.policy_id) != nullptr;
  if (!c.create && !exists) return Err{MakeError(ErrorCode::kNotFound, "no such SLA policy")};
  if (c.create && !exists && state.sla.policies.size() >= kMaxSlaPoliciesPerTenant)
    return Err{MakeError(ErrorCode::kValidation, "a tenant has at most 1000 SLA policies", "name")};
  if (auto e = ValidateSlaPolicy(c.policy)) return Err{*e};
  if (const SlaPolicy* current = state.sla.Find(c.policy.policy_id); current && *current == c.policy)
    return std::vector<DomainEvent>{};  // a retried POST or a PATCH that changes nothing
  return std::vector<DomainEvent>{
      DirectoryEvent(c.actor, c.at, c.tenant_id, EventPayload{SlaDirectoryEvent{SlaPolicySaved{c.policy}}})};
}

DirectoryDecision DecideSla(const TenantState& state, const DeleteSlaPolicy& c) {
  if (auto e = CheckAllowed(state, c.actor, c.tenant_id)) return Err{*e};
  if (!state.sla.Find(c.policy_id)) return Err{MakeError(ErrorCode::kNotFound, "no such SLA policy")};
  return std::vector<DomainEvent>{
      DirectoryEvent(c.actor, c.at, c.tenant_id, EventPayload{SlaDirectoryEvent{SlaPolicyDeleted{c.policy_id}}})};
}

DirectoryDecision DecideSla(const TenantState& state, const SetAutoClose& c) {
  if (auto e = CheckAllowed(state, c.actor, c.tenant_id)) return Err{*e};
  if (c.after && *c.after <= 0)
    return Err{MakeError(ErrorCode::kValidation, "auto_close_resolved_after must be a positive duration",
                         "auto_close_resolved_after")};
  if (state.sla.auto_close_after == c.after) return std::vector<DomainEvent>{};
  return std::vector<DomainEvent>{
      DirectoryEvent(c.actor, c.at, c.tenant_id, EventPayload{SlaDirectoryEvent{AutoCloseChanged{c.after}}})};
}

}  // namespace ticketd::domain

// Mail-out commands of the tenant directory (mail_events.h).
#include "directory_rules.h"
#include "ticketd/domain/mail_events.h"

namespace ticketd::domain {

DirectoryDecision DecideMail(const TenantState& state, const ChangeEmailTemplate& c) {
  if (auto e = CheckTenantPermission(c.actor, c.tenant_id, Permission::kSettingsManage, false)) return Err{*e};
  if (!state.exists) return Err{DomainError{ErrorCode::kNotFound, "no such tenant"}};
  if (c.set) return std::vector<DomainEvent>{DirectoryEvent(c.actor, c.at, c.tenant_id, MailEvent{*c.set})};
  return std::vector<DomainEvent>{DirectoryEvent(c.actor, c.at, c.tenant_id, MailEvent{EmailTemplateReset{c.kind}})};
}

}  // namespace ticketd::domain

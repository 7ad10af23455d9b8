// Mail-out events of the tenant directory stream (issue 14): a tenant's own
// mail templates. They travel as ONE alternative (MailEvent) of
// EventPayload. Template text is configuration, not personal data: stored
// plain.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ticketd/domain/id.h"
#include "ticketd/domain/mail_template_kind.h"
#include "ticketd/domain/time.h"
#include "ticketd/domain/types.h"

namespace ticketd::domain {

// PUT /api/v1/email-templates/{event}: the tenant's template replaces the default.
struct EmailTemplateSet {
  MailTemplate kind = MailTemplate::kTicketCreated;
  std::string subject, text, html;
  friend bool operator==(const EmailTemplateSet&, const EmailTemplateSet&) = default;
};
// DELETE /api/v1/email-templates/{event}: back to the default.
struct EmailTemplateReset {
  MailTemplate kind = MailTemplate::kTicketCreated;
  friend bool operator==(const EmailTemplateReset&, const EmailTemplateReset&) = default;
};

using MailEvent = std::variant<EmailTemplateSet, EmailTemplateReset>;

// The command behind both (settings:manage); `set` absent: reset.
struct ChangeEmailTemplate {
  Actor actor;
  Timestamp at = 0;
  Id tenant_id;
  MailTemplate kind = MailTemplate::kTicketCreated;
  std::optional<EmailTemplateSet> set;
};

// The persisted type tag ("email_template.set"). Persistent format: never rename.
std::string_view MailEventTypeName(const MailEvent& event);

}  // namespace ticketd::domain

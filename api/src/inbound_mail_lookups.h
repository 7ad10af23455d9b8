// The email-in decision's lookups (domain::MailLookups) over the engine's
// read models, within one tenant, and the sender as the actor of the
// commands a mail turns into. Read-only; thread-safe like the read models.
#pragma once

#include <optional>

#include "ticketd/app/engine.h"
#include "ticketd/domain/inbound_mail.h"

namespace ticketd::api {

class ReadModelMailLookups final : public domain::MailLookups {
 public:
  ReadModelMailLookups(const app::Engine& engine, const domain::Id& tenant_id)
      : engine_(engine), tenant_id_(tenant_id) {}

  std::optional<domain::MailTicket> TicketById(const domain::Id& ticket_id) const override;
  std::optional<domain::MailTicket> TicketByNumber(std::string_view number) const override;
  std::optional<domain::MailSender> UserByEmail(std::string_view address) const override;
  bool HasComment(const domain::Id& ticket_id, const domain::Id& comment_id) const override;

  // The user as the actor of their mail's command (role, groups as of now);
  // nullopt if the user is gone.
  std::optional<domain::Actor> ActorFor(const domain::Id& user_id) const;

 private:
  const app::Engine& engine_;
  domain::Id tenant_id_;
};

}  // namespace ticketd::api

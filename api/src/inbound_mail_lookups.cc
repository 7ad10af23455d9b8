#include "inbound_mail_lookups.h"

#include <cctype>
#include <charconv>

#include "ticketd/domain/accounts.h"
#include "ticketd/domain/directory.h"
#include "ticketd/domain/permissions.h"

namespace ticketd::api {
namespace {

std::optional<domain::MailTicket> FactsOf(const projections::TicketPtr& ticket) {
  if (!ticket) return std::nullopt;
  return domain::MailTicket{ticket->id, ticket->reporter_id, ticket->status};
}

bool SameNumberText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

std::optional<domain::MailTicket> ReadModelMailLookups::TicketById(const domain::Id& ticket_id) const {
  return FactsOf(engine_.tickets().Get(tenant_id_, ticket_id));
}

std::optional<domain::MailTicket> ReadModelMailLookups::TicketByNumber(std::string_view number) const {
  const std::size_t dash = number.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view digits = number.substr(dash + 1);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  projections::TicketPtr ticket = engine_.tickets().GetByNumber(tenant_id_, value);
  // The prefix must be this tenant's too: "[OTHER-000001]" is not ACME-000001.
  if (!ticket || !SameNumberText(ticket->number_text, number)) return std::nullopt;
  return FactsOf(ticket);
}

std::optional<domain::MailSender> ReadModelMailLookups::UserByEmail(std::string_view address) const {
  std::optional<projections::LoginCandidate> found =
      engine_.directory().FindLogin(tenant_id_, domain::NormalizeEmail(address));
  if (!found || !found->user.active || found->user.erased_at) return std::nullopt;
  std::optional<domain::Actor> actor = ActorFor(found->user.id);
  if (!actor) return std::nullopt;
  return domain::MailSender{found->user.id, domain::Can(*actor, domain::Permission::kTicketsManage)};
}

bool ReadModelMailLookups::HasComment(const domain::Id& ticket_id, const domain::Id& comment_id) const {
  for (const projections::Comment& comment : engine_.comments().List(tenant_id_, ticket_id, true))
    if (comment.id == comment_id) return true;
  return false;
}

std::optional<domain::Actor> ReadModelMailLookups::ActorFor(const domain::Id& user_id) const {
  std::optional<domain::User> user = engine_.directory().GetUser(tenant_id_, user_id);
  std::optional<domain::TenantAccess> access = engine_.directory().GetAccess(tenant_id_);
  if (!user || !access) return std::nullopt;
  return domain::ActorOf(*access, *user);
}

}  // namespace ticketd::api

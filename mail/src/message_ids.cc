#include "ticketd/mail/message_ids.h"

namespace ticketd::mail {

std::string MailDomain(std::string_view mail_from) {
  auto at = mail_from.rfind('@');
  if (at == std::string_view::npos || at + 1 == mail_from.size()) return "localhost";
  return std::string(mail_from.substr(at + 1));
}

std::string MailLocalPart(std::string_view mail_from) {
  auto at = mail_from.rfind('@');
  return std::string(at == std::string_view::npos ? mail_from : mail_from.substr(0, at));
}

std::string TicketMessageId(const domain::Id& ticket_id, const domain::Id& event_id, const domain::Id& recipient_id,
                            std::string_view mail_from) {
  return "<t." + ticket_id.ToString() + ".e." + event_id.ToString() + ".r." + recipient_id.ToString() + "@" +
         MailDomain(mail_from) + ">";
}

std::string DigestMessageId(const domain::Id& tenant_id, std::string_view date, const domain::Id& recipient_id,
                            std::string_view mail_from) {
  return "<digest." + tenant_id.ToString() + "." + std::string(date) + ".r." + recipient_id.ToString() + "@" +
         MailDomain(mail_from) + ">";
}

std::string TicketThreadId(const domain::Id& ticket_id, std::string_view mail_from) {
  return "<t." + ticket_id.ToString() + "@" + MailDomain(mail_from) + ">";
}

std::string TicketReplyTo(const domain::Id& ticket_id, std::string_view mail_from) {
  return MailLocalPart(mail_from) + "+t." + ticket_id.ToString() + "@" + MailDomain(mail_from);
}

}  // namespace ticketd::mail

#include "ticketd/domain/ticket_mail_ids.h"

namespace ticketd::domain {
namespace {

constexpr std::size_t kUuidChars = 36;
constexpr std::string_view kTicketTag = "t.";  // ticket ids and reply tags start with it

bool StartsWithTag(std::string_view text) {
  return text.size() >= 2 && (text[0] == 't' || text[0] == 'T') && text[1] == '.';
}

}  // namespace

std::string MailDomain(std::string_view mail_from) {
  auto at = mail_from.rfind('@');
  if (at == std::string_view::npos || at + 1 == mail_from.size()) return "localhost";
  return std::string(mail_from.substr(at + 1));
}

std::string MailLocalPart(std::string_view mail_from) {
  auto at = mail_from.rfind('@');
  return std::string(at == std::string_view::npos ? mail_from : mail_from.substr(0, at));
}

std::string TicketMessageId(const Id& ticket_id, const Id& event_id, const Id& recipient_id,
                            std::string_view mail_from) {
  return "<" + std::string(kTicketTag) + ticket_id.ToString() + ".e." + event_id.ToString() + ".r." +
         recipient_id.ToString() + "@" + MailDomain(mail_from) + ">";
}

std::string DigestMessageId(const Id& tenant_id, std::string_view date, const Id& recipient_id,
                            std::string_view mail_from) {
  return "<digest." + tenant_id.ToString() + "." + std::string(date) + ".r." + recipient_id.ToString() + "@" +
         MailDomain(mail_from) + ">";
}

std::string TicketThreadId(const Id& ticket_id, std::string_view mail_from) {
  return "<" + std::string(kTicketTag) + ticket_id.ToString() + "@" + MailDomain(mail_from) + ">";
}

std::string TicketReplyTo(const Id& ticket_id, std::string_view mail_from) {
  return MailLocalPart(mail_from) + "+" + std::string(kTicketTag) + ticket_id.ToString() + "@" + MailDomain(mail_from);
}

std::optional<Id> TicketIdInMessageId(std::string_view message_id) {
  if (!message_id.empty() && message_id.front() == '<') message_id.remove_prefix(1);
  if (!message_id.empty() && message_id.back() == '>') message_id.remove_suffix(1);
  if (!StartsWithTag(message_id)) return std::nullopt;
  std::string_view rest = message_id.substr(2);
  if (rest.size() <= kUuidChars) return std::nullopt;  // at least "@x" must follow
  const char after = rest[kUuidChars];
  if (after != '@' && after != '.') return std::nullopt;
  if (message_id.find('@') == std::string_view::npos) return std::nullopt;
  return Id::Parse(rest.substr(0, kUuidChars));
}

std::optional<Id> TicketIdInAddress(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view local = address.substr(0, at);
  const std::size_t plus = local.rfind('+');
  if (plus == std::string_view::npos) return std::nullopt;
  std::string_view tag = local.substr(plus + 1);
  if (!StartsWithTag(tag) || tag.size() != 2 + kUuidChars) return std::nullopt;
  return Id::Parse(tag.substr(2));
}

std::vector<std::string> MessageIdsIn(std::string_view header_value) {
  std::vector<std::string> ids;
  std::size_t pos = 0;
  while ((pos = header_value.find('<', pos)) != std::string_view::npos) {
    const std::size_t end = header_value.find('>', pos + 1);
    if (end == std::string_view::npos) break;
    std::string_view id = header_value.substr(pos + 1, end - pos - 1);
    if (!id.empty() && id.find('<') == std::string_view::npos) ids.emplace_back(id);
    pos = end + 1;
  }
  return ids;
}

}  // namespace ticketd::domain

#include "ticketd/domain/ticket_mail_ids.h"

namespace ticketd::domain {
namespace {

constexpr std::size_t kUuidChars = 36;

bool StartsWithTag(std::string_view text) {
  return text.size() >= 2 && (text[0] == 't' || text[0] == 'T') && text[1] == '.';
}

}  // namespace

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

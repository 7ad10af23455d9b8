// libFuzzer: the email-in path after authentication. Bytes -> ReadMime
// (GMime) -> DecideInboundMail against a tenant where every id and number
// names a ticket and every address a user, so every branch is reachable.
// Whatever the bytes: a parsed mail with valid UTF-8 text, or a problem
// naming a field; a decision whose texts fit the ticket fields; never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "html_text.h"
#include "mime_reader.h"
#include "ticketd/domain/reply_text.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::api {
namespace {

class EverythingExists final : public domain::MailLookups {
 public:
  std::optional<domain::MailTicket> TicketById(const domain::Id& id) const override {
    return domain::MailTicket{id, domain::Id{}, domain::TicketStatus::kResolved};
  }
  std::optional<domain::MailTicket> TicketByNumber(std::string_view) const override {
    return domain::MailTicket{domain::Id{}, domain::Id{}, domain::TicketStatus::kOpen};
  }
  std::optional<domain::MailSender> UserByEmail(std::string_view address) const override {
    if (address.empty()) return std::nullopt;
    return domain::MailSender{domain::Id{}, address.size() % 2 == 0};
  }
  bool HasComment(const domain::Id&, const domain::Id&) const override { return false; }
};

bool ValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

}  // namespace
}  // namespace ticketd::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ticketd;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = api::ReadMime(bytes);
  if (!parsed.ok()) {
    if (parsed.error().field.empty()) __builtin_trap();  // a 400 must name what is wrong
    return 0;
  }
  const domain::InboundMail& mail = parsed.value();
  if (mail.from.empty() || !api::ValidUtf8(mail.text) || !api::ValidUtf8(mail.subject)) __builtin_trap();
  (void)domain::StripQuotedReply(mail.text);
  (void)api::HtmlToText(bytes);
  const domain::MailDecision decision =
      domain::DecideInboundMail(mail, domain::MailIds{}, "ticketd@localhost", api::EverythingExists());
  if (const auto* created = std::get_if<domain::TicketFromMail>(&decision)) {
    if (created->subject.empty() || created->subject.size() > 4 * domain::kMaxSubjectChars) __builtin_trap();
  }
  if (const auto* comment = std::get_if<domain::CommentFromMail>(&decision)) {
    if (comment->body.empty() || comment->body.size() > 4 * domain::kMaxCommentChars) __builtin_trap();
  }
  return 0;
}

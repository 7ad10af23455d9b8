#include "ticketd/domain/inbound_mail.h"

#include "text_rules.h"
#include "ticketd/domain/reply_text.h"
#include "ticketd/domain/ticket.h"
#include "ticketd/domain/ticket_mail_ids.h"

namespace ticketd::domain {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// RFC 3834: any value but "no" marks an automatic mail ("auto-replied;
// owner-email=..." has parameters after the keyword).
bool IsAutoSubmitted(std::string_view value) {
  const std::string keyword = Lowercase(Trim(value.substr(0, value.find(';'))));
  return !keyword.empty() && keyword != "no";
}

bool IsBulkPrecedence(std::string_view value) {
  const std::string p = Lowercase(Trim(value));
  return p == "bulk" || p == "junk" || p == "list";
}

// "Name <a@b>" or "a@b" -> "a@b", lower-cased.
std::string AddressOf(std::string_view text) {
  const std::size_t open = text.rfind('<');
  const std::size_t close = text.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    text = text.substr(open + 1, close - open - 1);
  return Lowercase(Trim(text));
}

std::optional<IgnoreMail> WhyIgnored(const InboundMail& mail, std::string_view own_address) {
  if (IsAutoSubmitted(mail.auto_submitted)) return IgnoreMail{"auto_submitted"};
  if (IsBulkPrecedence(mail.precedence)) return IgnoreMail{"precedence"};
  if (!AddressOf(own_address).empty() && AddressOf(mail.from) == AddressOf(own_address))
    return IgnoreMail{"own_address"};
  return std::nullopt;
}

bool IsNumberText(std::string_view text) {
  const std::size_t dash = text.rfind('-');
  if (dash == 0 || dash == std::string_view::npos || dash + 1 == text.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool digit = c >= '0' && c <= '9';
    const bool alnum = digit || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (i > dash ? !digit : !(alnum || c == '-')) return false;
  }
  return true;
}

std::optional<MailTicket> TicketInSubject(std::string_view subject, const MailLookups& lookups) {
  std::size_t pos = 0;
  while ((pos = subject.find('[', pos)) != std::string_view::npos) {
    const std::size_t end = subject.find(']', pos + 1);
    if (end == std::string_view::npos) break;
    std::string_view inside = subject.substr(pos + 1, end - pos - 1);
    if (IsNumberText(inside))
      if (auto ticket = lookups.TicketByNumber(inside)) return ticket;
    pos = pos + 1;
  }
  return std::nullopt;
}

std::optional<MailTicket> TicketByMessageIds(const std::vector<std::string>& ids, bool newest_first,
                                             const MailLookups& lookups) {
  for (std::size_t n = 0; n < ids.size(); ++n) {
    const std::string& id = ids[newest_first ? ids.size() - 1 - n : n];
    if (std::optional<Id> ticket_id = TicketIdInMessageId(id))
      if (auto ticket = lookups.TicketById(*ticket_id)) return ticket;
  }
  return std::nullopt;
}

// A code point starts at every byte that is not a UTF-8 continuation byte.
bool StartsCodePoint(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

std::string Fit(std::string_view text, std::size_t max_chars, bool one_line) {
  std::string out;
  out.reserve(std::min(text.size(), max_chars * 4));
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      const bool line_break = c == '\n' || c == '\r' || c == '\t';
      if (!line_break) continue;
      if (one_line) {
        c = ' ';
      } else if (c == '\r') {
        continue;  // \r\n and lone \r end lines as \n does
      }
    }
    if (one_line && c == ' ' && !out.empty() && out.back() == ' ') continue;  // folded header lines
    if (StartsCodePoint(c) && chars++ == max_chars) break;
    out.push_back(c);
  }
  // A cut may leave half a code point behind the last lead byte: drop it.
  std::size_t lead = out.size();
  while (lead > 0 && !StartsCodePoint(out[lead - 1])) --lead;
  if (lead > 0) {
    const auto u = static_cast<unsigned char>(out[lead - 1]);
    const std::size_t want = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
    if (out.size() - (lead - 1) < want) out.resize(lead - 1);
  }
  return std::string(Trim(out));
}

std::string NonEmpty(std::string text, std::string_view placeholder) {
  return text.empty() ? std::string(placeholder) : std::move(text);
}

}  // namespace

std::string_view ToString(MailAction action) {
  switch (action) {
    case MailAction::kTicket:
      return "ticket";
    case MailAction::kComment:
      return "comment";
    case MailAction::kReopen:
      return "reopen";
  }
  return "ticket";
}

std::string FitOneLine(std::string_view text, std::size_t max_chars) { return Fit(text, max_chars, true); }
std::string FitMultiLine(std::string_view text, std::size_t max_chars) { return Fit(text, max_chars, false); }

std::optional<MailTicket> TicketMailRefersTo(const InboundMail& mail, const MailLookups& lookups) {
  if (auto ticket = TicketByMessageIds(mail.in_reply_to, false, lookups)) return ticket;
  if (auto ticket = TicketByMessageIds(mail.references, true, lookups)) return ticket;
  for (const std::string& address : mail.recipients)
    if (std::optional<Id> ticket_id = TicketIdInAddress(address))
      if (auto ticket = lookups.TicketById(*ticket_id)) return ticket;
  return TicketInSubject(mail.subject, lookups);
}

MailDecision DecideInboundMail(const InboundMail& mail, const MailIds& ids, std::string_view own_address,
                               const MailLookups& lookups) {
  if (std::optional<IgnoreMail> ignored = WhyIgnored(mail, own_address)) return *ignored;

  if (lookups.TicketById(ids.new_ticket)) return RepeatedMail{MailAction::kTicket, ids.new_ticket, std::nullopt};
  const std::optional<MailTicket> ticket = TicketMailRefersTo(mail, lookups);
  if (ticket) {
    if (lookups.HasComment(ticket->id, ids.comment)) return RepeatedMail{MailAction::kComment, ticket->id, ids.comment};
    if (lookups.HasComment(ticket->id, ids.reopen_comment))
      return RepeatedMail{MailAction::kReopen, ticket->id, ids.reopen_comment};
  }

  const std::optional<MailSender> sender = lookups.UserByEmail(Trim(mail.from));
  if (!sender) return UnknownSender{std::string(Trim(mail.from)), "no active user of this tenant has this address"};
  if (ticket) {
    const bool reporter = sender->user_id == ticket->reporter_id;
    if (!reporter && !sender->staff)
      return UnknownSender{std::string(Trim(mail.from)),
                           "only the reporter or IT staff may comment on this ticket by mail"};
    const bool reopen = reporter && ticket->status == TicketStatus::kResolved;
    return CommentFromMail{ticket->id, sender->user_id, reopen ? ids.reopen_comment : ids.comment,
                           NonEmpty(FitMultiLine(StripQuotedReply(mail.text), kMaxCommentChars), "(no text)"),
                           reopen};
  }
  return TicketFromMail{ids.new_ticket, sender->user_id,
                        NonEmpty(FitOneLine(mail.subject, kMaxSubjectChars), "(no subject)"),
                        FitMultiLine(mail.text, kMaxDescriptionChars)};
}

}  // namespace ticketd::domain

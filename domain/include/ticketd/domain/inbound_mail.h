// Email in (MAIL.md "Email in"): what one received mail does, decided in the
// contract's order:
//   1. Auto-Submitted other than "no", Precedence bulk|junk|list, or From
//      equal to ticketd's own address -> ignored (no mail loops);
//   2. the same Message-ID posted before -> the first answer again;
//   3. In-Reply-To/References naming a mail ticketd sent (or a +t.{id} reply
//      address in To/Cc), or [NUMBER] of this tenant in the subject -> a
//      public comment by the sender (the reporter or staff; anyone else is
//      an unknown sender), the quoted earlier mail removed; the reporter's
//      reply to a resolved ticket reopens it;
//   4. otherwise a new ticket from a known user; an unknown one is refused.
// Pure: the mail arrives parsed (api/src/mime_reader.h), the facts about
// tickets and users through MailLookups, the ids to use in MailIds (derived
// by the shell from the tenant and the Message-ID, so a repeat finds what the
// first post made, also after a restart). Thread-safe as far as the lookups are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ticketd/domain/id.h"
#include "ticketd/domain/types.h"

namespace ticketd::domain {

// A received mail as the decision needs it; every text is UTF-8.
struct InboundMail {
  std::string message_id;               // without <>; empty when the mail has none
  std::string from;                     // the From address (addr-spec)
  std::vector<std::string> recipients;  // To and Cc addresses
  std::vector<std::string> in_reply_to;  // message ids without <>
  std::vector<std::string> references;   // in header order (oldest first)
  std::string subject;                   // RFC 2047 words decoded
  std::string text;                      // the body as plain text (text/plain, else the HTML as text)
  std::string auto_submitted;            // header value; empty when absent
  std::string precedence;                // header value; empty when absent
};

struct MailTicket {
  Id id;
  Id reporter_id;
  TicketStatus status = TicketStatus::kOpen;
};
// An active user of the tenant.
struct MailSender {
  Id user_id;
  bool staff = false;  // holds tickets:manage
};

// Facts the decision asks for, all within the API key's tenant.
class MailLookups {
 public:
  virtual ~MailLookups() = default;
  // A live ticket of the tenant; nullopt for another tenant's, a deleted or no ticket.
  virtual std::optional<MailTicket> TicketById(const Id& ticket_id) const = 0;
  // By number text ("ACME-000042", any case); nullopt unless the tenant's.
  virtual std::optional<MailTicket> TicketByNumber(std::string_view number) const = 0;
  // The active user with this address (case-insensitive); nullopt otherwise.
  virtual std::optional<MailSender> UserByEmail(std::string_view address) const = 0;
  virtual bool HasComment(const Id& ticket_id, const Id& comment_id) const = 0;
};

// The ids this mail's effects get: the same for a repeat of the mail.
struct MailIds {
  Id new_ticket;      // a new ticket (step 4)
  Id comment;         // a comment (step 3)
  Id reopen_comment;  // the comment of a reopen (step 3): tells a repeat which answer it had
};

enum class MailAction { kTicket, kComment, kReopen };
std::string_view ToString(MailAction action);  // "ticket", "comment", "reopen"

// 200 {ignored: true, reason}; reason: auto_submitted | precedence | own_address.
struct IgnoreMail {
  std::string reason;
};
// 200 with the first answer.
struct RepeatedMail {
  MailAction action = MailAction::kTicket;
  Id ticket_id;
  std::optional<Id> comment_id;
};
// A public comment by `author_id`; with reopen, the ticket goes resolved -> open.
struct CommentFromMail {
  Id ticket_id;
  Id author_id;
  Id comment_id;
  std::string body;  // fits a comment (1..kMaxCommentChars, multi-line)
  bool reopen = false;
};
struct TicketFromMail {
  Id ticket_id;
  Id reporter_id;
  std::string subject;      // fits a subject (1..kMaxSubjectChars, one line)
  std::string description;  // fits a description
};
// 422 UNKNOWN_SENDER.
struct UnknownSender {
  std::string address;
  std::string why;  // for the message
};

using MailDecision = std::variant<IgnoreMail, RepeatedMail, CommentFromMail, TicketFromMail, UnknownSender>;

// `own_address`: ticketd's --mail-from (empty: none).
MailDecision DecideInboundMail(const InboundMail& mail, const MailIds& ids, std::string_view own_address,
                               const MailLookups& lookups);

// The ticket a mail refers to (step 3's lookups, in order: In-Reply-To,
// References newest first, +t.{id} recipients, [NUMBER] in the subject).
std::optional<MailTicket> TicketMailRefersTo(const InboundMail& mail, const MailLookups& lookups);

// Text made to fit a field: invalid control characters dropped (all of them,
// line breaks turned into spaces, for one-line text), cut at max_chars code
// points. Pure helpers the decision uses, exposed for tests.
std::string FitOneLine(std::string_view text, std::size_t max_chars);
std::string FitMultiLine(std::string_view text, std::size_t max_chars);

}  // namespace ticketd::domain

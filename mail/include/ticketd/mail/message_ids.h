// The header values that tie a mail to its ticket. FIXED formats: the
// inbound side (POST /public/v1/inbound-mail) parses exactly these, so a
// change here breaks replies by email. D is the domain part of --mail-from;
// UUIDs are in canonical lowercase 8-4-4-4-12 text.
//   ticket mail Message-ID   <t.{ticket}.e.{event}.r.{recipient}@D>
//   digest mail Message-ID   <digest.{tenant}.{YYYY-MM-DD}.r.{recipient}@D>
//   thread root              <t.{ticket}@D>   (In-Reply-To and References)
//   Reply-To                 {local part of --mail-from}+t.{ticket}@D
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "ticketd/domain/id.h"

namespace ticketd::mail {

// "ticketd@example.com" -> "example.com"; no '@' -> "localhost".
std::string MailDomain(std::string_view mail_from);
// "ticketd@example.com" -> "ticketd"; no '@' -> the whole text.
std::string MailLocalPart(std::string_view mail_from);

std::string TicketMessageId(const domain::Id& ticket_id, const domain::Id& event_id, const domain::Id& recipient_id,
                            std::string_view mail_from);
std::string DigestMessageId(const domain::Id& tenant_id, std::string_view date, const domain::Id& recipient_id,
                            std::string_view mail_from);
std::string TicketThreadId(const domain::Id& ticket_id, std::string_view mail_from);
std::string TicketReplyTo(const domain::Id& ticket_id, std::string_view mail_from);

}  // namespace ticketd::mail

// The header values that tie a mail to its ticket (MAIL.md "The mails"):
// written by the outbound notifier, read back by email in. This file is the
// ONE owner of these FIXED formats (a change breaks replies to mails already
// sent). D = the domain part of --mail-from; UUIDs in canonical lowercase
// 8-4-4-4-12 text:
//   Message-ID of a ticket mail   <t.{ticket_uuid}.e.{event_uuid}.r.{user_uuid}@D>
//   thread root (In-Reply-To)     <t.{ticket_uuid}@D>
//   digest                        <digest.{tenant_uuid}.{YYYY-MM-DD}.r.{user_uuid}@D>
//   Reply-To                      {local}+t.{ticket_uuid}@D
// Reading: any id of the form <t.{uuid}...@...> names that ticket, whatever the domain
// (a mail may come back through another host); whether the ticket belongs to
// the right tenant is the caller's check. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/domain/id.h"

namespace ticketd::domain {

// ---- writing (the notifier) ----
// "ticketd@example.com" -> "example.com"; no '@' -> "localhost".
std::string MailDomain(std::string_view mail_from);
// "ticketd@example.com" -> "ticketd"; no '@' -> the whole text.
std::string MailLocalPart(std::string_view mail_from);
std::string TicketMessageId(const Id& ticket_id, const Id& event_id, const Id& recipient_id,
                            std::string_view mail_from);
std::string DigestMessageId(const Id& tenant_id, std::string_view date, const Id& recipient_id,
                            std::string_view mail_from);
std::string TicketThreadId(const Id& ticket_id, std::string_view mail_from);
std::string TicketReplyTo(const Id& ticket_id, std::string_view mail_from);

// ---- reading (email in) ----
// The ticket of one message id, with or without its angle brackets:
// "t.{uuid}" followed by "@" or "." (more id parts). nullopt otherwise.
std::optional<Id> TicketIdInMessageId(std::string_view message_id);

// The ticket of a reply address "local+t.{uuid}@domain" (any local part,
// any case of the tag). nullopt for any other address.
std::optional<Id> TicketIdInAddress(std::string_view address);

// The <...> message ids of an In-Reply-To or References header value, in
// order, without brackets; text outside brackets (comments, phrases) skipped.
std::vector<std::string> MessageIdsIn(std::string_view header_value);

}  // namespace ticketd::domain

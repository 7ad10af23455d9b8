// Which ticket a mail refers to, read from the ids ticketd puts on the mails
// it sends (MAIL.md; fixed formats shared with the outbound notifier, D =
// the domain of --mail-from):
//   Message-ID of a ticket mail   <t.{ticket_uuid}.e.{event_uuid}.r.{user_uuid}@D>
//   thread root (In-Reply-To)     <t.{ticket_uuid}@D>
//   digest                        <digest.{tenant_uuid}.{YYYY-MM-DD}.r.{user_uuid}@D>
//   Reply-To                      {local}+t.{ticket_uuid}@D
// Any id of the form <t.{uuid}...@...> names that ticket, whatever the domain
// (a mail may come back through another host); whether the ticket belongs to
// the right tenant is the caller's check. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/domain/id.h"

namespace ticketd::domain {

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

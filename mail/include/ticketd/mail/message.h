// One outgoing mail and its RFC 5322 text: multipart/alternative with a
// text/plain and a text/html part, both UTF-8 and base64-encoded (safe for
// any line length and any byte), a Subject as RFC 2047 encoded-words when it
// is not plain ASCII. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ticketd/domain/time.h"

namespace ticketd::mail {

struct OutgoingMail {
  std::string from;        // bare address (--mail-from)
  std::string to;          // bare address
  std::string to_name;     // display name, may be empty
  std::string subject;     // UTF-8
  std::string message_id;  // "<...>" (domain/ticket_mail_ids.h)
  std::string in_reply_to; // "<...>" or empty (digest)
  std::string reply_to;    // bare address or empty
  std::string text;        // UTF-8
  std::string html;        // UTF-8, already escaped where it must be
  domain::Timestamp date = 0;
  // Whose personal data the mail holds ("ticket:{uuid}", "user:{uuid}"),
  // written as X-Ticketd-Personal-Data so an erasure can find a spooled copy.
  std::vector<std::string> personal_data;
};

// The whole message, CRLF line ends. Header values are stripped of CR/LF, so
// no user-written value can add a header.
std::string ComposeMessage(const OutgoingMail& mail);

}  // namespace ticketd::mail

// Turns the bytes of one received mail (RFC 5322, MIME) into the
// domain::InboundMail the email-in decision works on, with GMime 3: header
// words (RFC 2047) and body charsets decoded to UTF-8, quoted-printable and
// base64 undone, multipart walked (text/plain preferred, else the HTML part
// as text: html_text.h). Attachment parts are not read here.
// Thread-safe: GMime is initialised once per process; each call parses its
// own objects. Runs on the calling (HTTP) thread; the body is at most the
// route's 10 MiB.
#pragma once

#include <string>
#include <string_view>

#include "ticketd/base/result.h"
#include "ticketd/domain/inbound_mail.h"

namespace ticketd::api {

// The problem with a mail that cannot be read, named like a JSON field.
struct MimeProblem {
  std::string field;    // "From", "body"
  std::string message;  // for a person
};

// A mail without a sender address (or not a mail at all) is a MimeProblem;
// everything else parses, broken parts giving what could be read.
Result<domain::InboundMail, MimeProblem> ReadMime(std::string_view bytes);

}  // namespace ticketd::api

// Turns the bytes of one received mail (RFC 5322, MIME) into the
// domain::InboundMail the email-in decision works on, with GMime 3: header
// words (RFC 2047) and body charsets decoded to UTF-8, quoted-printable and
// base64 undone, multipart walked (text/plain preferred, else the HTML part
// as text: html_text.h). Attachment parts are decoded for the caller, which
// applies the attachment policy to them (not here: that is slow work).
// Thread-safe: GMime is initialised once per process; each call parses its
// own objects. Runs on the calling (HTTP) thread; the body is at most the
// route's 10 MiB.
#pragma once

#include <string>
#include <string_view>

#include <vector>

#include "ticketd/app/attachment_intake.h"
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
// `attachments` (optional) gets the mail's attachments in order, decoded:
// parts with Content-Disposition: attachment, non-text inline parts (an
// image in multipart/related) and attached mails (message/rfc822, as
// "attached-mail-N.eml"); a part without a filename is "attachment-N". The
// text bodies are not among them.
Result<domain::InboundMail, MimeProblem> ReadMime(std::string_view bytes,
                                                  std::vector<app::IncomingFile>* attachments = nullptr);

}  // namespace ticketd::api

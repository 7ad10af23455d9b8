// The new text of a reply mail: what the sender wrote, without the earlier
// mail their client quoted below it or their signature. Recognised (the
// common clients' styles, in English and a few other languages):
//   - an attribution line "On <date>, <name> wrote:" (Gmail, Apple Mail,
//     Thunderbird; also wrapped over two lines), "Am ... schrieb ...:",
//     "Le ... a écrit :", "El ... escribió:", "Op ... schreef ...:";
//   - Outlook's "-----Original Message-----", its "____" rule, and a header
//     block "From: ..." followed within three lines by "Sent:"/"Date:";
//   - Apple Mail's "Begin forwarded message:";
//   - the signature separator "-- " (RFC 3676), and mobile signatures
//     ("Sent from my iPhone", "Get Outlook for Android", ...);
//   - every line starting with ">" (inline quoting).
// Everything from the first cut line on is dropped; ">" lines anywhere.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace ticketd::domain {

// `text` uses \n or \r\n line ends; the result uses \n, without the
// trailing blank lines. May be empty (a reply that only quoted).
std::string StripQuotedReply(std::string_view text);

}  // namespace ticketd::domain

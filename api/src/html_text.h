// The text of an HTML mail body, for mails that come without a text/plain
// part: parsed by libxml2's forgiving HTML parser (entities, broken markup),
// block elements become line breaks, whitespace runs one space (not inside
// <pre>), <script>/<style>/<head> dropped, lines inside <blockquote> quoted
// with "> " (so the reply-text rules remove them like quoted plain text),
// links keep their text. Thread-safe (libxml2 is initialised once).
#pragma once

#include <string>
#include <string_view>

namespace ticketd::api {

// `html` must be UTF-8. Never fails: unparseable input gives what could be read.
std::string HtmlToText(std::string_view html);

}  // namespace ticketd::api

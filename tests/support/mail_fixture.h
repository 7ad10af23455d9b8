// The real-world mails of tests/fixtures/mail (email in, MAIL.md), with their
// {{PLACEHOLDER}}s filled in: {{FROM}}, {{MESSAGE_ID}}, {{TICKET_ID}},
// {{NUMBER}}. A missing file fails the calling test.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ticketd::test_support {

using MailValues = std::vector<std::pair<std::string, std::string>>;  // {"FROM", "a@b.c"}, ...

std::string MailFixture(std::string_view name, const MailValues& values);

}  // namespace ticketd::test_support

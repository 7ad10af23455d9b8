// Validation of user text shared by the ticket and directory deciders:
// valid UTF-8, a length in code points, and which control characters a
// field tolerates. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/errors.h"

namespace ticketd::domain {

enum class LineRule {
  kSingleLine,  // no control characters at all (subject, names, category)
  kMultiLine,   // \n, \r and \t allowed (description, comment bodies)
};

// nullopt if `text` is valid UTF-8 with min..max code points obeying `rule`;
// otherwise the kValidation error naming `field`.
std::optional<DomainError> CheckText(std::string_view field, std::string_view text, std::size_t min_chars,
                                     std::size_t max_chars, LineRule rule);

}  // namespace ticketd::domain

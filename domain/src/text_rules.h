// Helpers shared by the deciders: validation of user text (valid UTF-8, a
// length in code points, which control characters a field tolerates),
// ASCII lower-casing for case-insensitive names, and the refusal a decider
// returns. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ticketd/base/result.h"
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

// ASCII A-Z lowered; other bytes unchanged (emails' and names' uniqueness).
inline std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// What a decider returns to refuse a command.
inline Err<DomainError> Fail(ErrorCode code, std::string message, std::string field = {}) {
  return Err{MakeError(code, std::move(message), std::move(field))};
}

}  // namespace ticketd::domain

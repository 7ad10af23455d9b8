// CheckText: one UTF-8 decoder and one set of length and control-character
// rules for every user-supplied string of both deciders.
#include "text_rules.h"

namespace ticketd::domain {
namespace {

// Decodes one UTF-8 sequence at text[*i]; false on malformed, overlong or
// surrogate encodings.
bool NextCodePoint(std::string_view text, std::size_t* i, char32_t* out) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(*i);
  int extra;
  char32_t cp;
  if (lead < 0x80) {
    *out = lead;
    ++*i;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  } else {
    return false;
  }
  if (*i + extra >= text.size()) return false;
  for (int k = 1; k <= extra; ++k) {
    unsigned char c = byte(*i + k);
    if ((c & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  *i += extra + 1;
  *out = cp;
  return true;
}

// C0, DEL and C1 controls, and the bidirectional embeddings, overrides and
// isolates that make a text display in another order than it is stored
// ("Trojan Source").
bool IsForbiddenControl(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// White space and invisible format characters: a text of only these looks
// empty in every list.
bool IsBlank(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200D) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

}  // namespace

std::optional<DomainError> CheckText(std::string_view field, std::string_view text, std::size_t min_chars,
                                     std::size_t max_chars, LineRule rule) {
  std::size_t count = 0;
  bool blank = true;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    if (!NextCodePoint(text, &i, &cp))
      return MakeError(ErrorCode::kValidation, "is not valid UTF-8", std::string(field));
    blank = blank && IsBlank(cp);
    bool allowed_whitespace = rule == LineRule::kMultiLine && (cp == '\n' || cp == '\r' || cp == '\t');
    if (IsForbiddenControl(cp) && !allowed_whitespace)
      return MakeError(ErrorCode::kValidation, "must not contain control characters", std::string(field));
    if (++count > max_chars)
      return MakeError(ErrorCode::kValidation, "must be at most " + std::to_string(max_chars) + " characters",
                       std::string(field));
  }
  // A required single-line text (subject, name) must show something.
  if (rule == LineRule::kSingleLine && min_chars > 0 && count > 0 && blank)
    return MakeError(ErrorCode::kValidation, "must not be only white space", std::string(field));
  if (count < min_chars) {
    return MakeError(ErrorCode::kValidation,
                     min_chars == 1 ? "must not be empty"
                                    : "must be at least " + std::to_string(min_chars) + " characters",
                     std::string(field));
  }
  return std::nullopt;
}

}  // namespace ticketd::domain

#include "ticketd/domain/reply_text.h"

#include <array>
#include <vector>

#include "text_rules.h"

namespace ticketd::domain {
namespace {

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && Lowercase(text.substr(0, prefix.size())) == prefix;
}

// Attribution lines: an opening word, a verb, a closing ':' (lower-case).
struct Attribution {
  std::string_view opens;
  std::string_view verb;
};
constexpr std::array kAttributions = {
    Attribution{"on ", " wrote"},   Attribution{"am ", " schrieb"},  Attribution{"le ", " a écrit"},
    Attribution{"el ", " escribió"}, Attribution{"op ", " schreef"}, Attribution{"den ", " skrev"},
};

// "On ... wrote:" on one line, or wrapped over this line and the next
// (clients wrap long attributions).
bool IsAttribution(std::string_view line, std::string_view next) {
  std::string candidate = Lowercase(line);
  if (!candidate.ends_with(':')) {
    if (!next.ends_with(':')) return false;
    candidate += ' ';
    candidate += Lowercase(next);
  }
  for (const Attribution& a : kAttributions)
    if (candidate.starts_with(a.opens) && candidate.find(a.verb) != std::string::npos) return true;
  // "Name <a@b> schrieb am 01.12.2026:"
  return candidate.find(" schrieb am ") != std::string::npos;
}

bool IsRule(std::string_view line, char c, std::size_t min) {
  if (line.size() < min) return false;
  for (char x : line)
    if (x != c) return false;
  return true;
}

bool IsOutlookSeparator(std::string_view line) {
  const std::string lower = Lowercase(line);
  return lower.find("-----original message-----") != std::string::npos ||
         lower.find("----- original message -----") != std::string::npos ||
         lower == "begin forwarded message:" || IsRule(line, '_', 10);
}

// Outlook's quoted header block: "From: ..." with "Sent:" or "Date:" within
// the next three lines.
bool IsHeaderBlock(const std::vector<std::string_view>& lines, std::size_t i) {
  if (!StartsWithNoCase(lines[i], "from:") && !StartsWithNoCase(lines[i], "*from:*")) return false;
  for (std::size_t j = i + 1; j < lines.size() && j <= i + 3; ++j) {
    if (StartsWithNoCase(lines[j], "sent:") || StartsWithNoCase(lines[j], "date:") ||
        StartsWithNoCase(lines[j], "*sent:*"))
      return true;
  }
  return false;
}

// "Sent from my iPhone", "Von meinem iPad gesendet", "Get Outlook for Android".
bool IsMobileSignature(std::string_view line) {
  const std::string lower = Lowercase(line);
  return lower.starts_with("sent from my ") || lower.starts_with("von meinem ") ||
         lower.starts_with("get outlook for ") || lower.starts_with("envoyé de mon ");
}

}  // namespace

std::string StripQuotedReply(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const std::string_view trimmed = TrimSpace(line);
    const std::string_view next = i + 1 < lines.size() ? TrimSpace(lines[i + 1]) : std::string_view();
    if (line == "-- " || line == "--" || IsMobileSignature(trimmed) || IsOutlookSeparator(trimmed) || IsAttribution(trimmed, next) ||
        IsHeaderBlock(lines, i))
      break;
    if (!trimmed.empty() && trimmed.front() == '>') continue;
    out.append(line);
    out.push_back('\n');
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) out.pop_back();
  // Leading blank lines too (top-posters often start with one).
  std::size_t first = 0;
  while (first < out.size() && out[first] == '\n') ++first;
  return out.substr(first);
}

}  // namespace ticketd::domain

// The filename rules of ATTACHMENTS.md. A name never becomes a path on disk
// (storage is content-addressed), but it is shown to people and sent back in
// Content-Disposition, so control characters (header injection, NUL
// truncation) and bidirectional overrides ("invoice\u202Egpj.exe" shown as
// "invoiceexe.jpg") are refused rather than silently rewritten.
#include <cstdint>

#include "ticketd/app/attachment_intake.h"

namespace ticketd::app {
namespace {

AttachmentRefusal Invalid(std::string_view raw, std::string message) {
  return {AttachmentRefusal::Kind::kInvalidFilename, std::string(raw.substr(0, 255)), std::move(message)};
}

// Decodes one UTF-8 sequence at `text[*at]`; -1 when invalid (overlong,
// surrogate, truncated, above U+10FFFF).
std::int32_t NextCodePoint(std::string_view text, std::size_t* at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(*at);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || *at + length > text.size()) return -1;
  std::int32_t code = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(*at + i) & 0xC0) != 0x80) return -1;
    code = (code << 6) | (byte(*at + i) & 0x3F);
  }
  static constexpr std::int32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return -1;
  *at += length;
  return code;
}

bool IsRefusedCodePoint(std::int32_t code) {
  const bool control = code < 0x20 || (code >= 0x7F && code < 0xA0);
  const bool bidi = (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) || code == 0x200E ||
                    code == 0x200F || code == 0x061C;
  return control || bidi;
}

}  // namespace

Result<std::string, AttachmentRefusal> NormalizeAttachmentFilename(std::string_view raw,
                                                                   const AttachmentLimits& limits) {
  std::string_view name = raw;
  if (std::size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  if (name.empty() || name == "." || name == "..") return Err{Invalid(raw, "the file has no name")};
  if (name.size() > limits.max_filename_bytes) {
    return Err{Invalid(raw, "a filename is longer than " + std::to_string(limits.max_filename_bytes) + " bytes")};
  }
  for (std::size_t at = 0; at < name.size();) {
    std::int32_t code = NextCodePoint(name, &at);
    if (code < 0) return Err{Invalid(raw, "a filename is not valid UTF-8")};
    if (IsRefusedCodePoint(code)) {
      return Err{Invalid(raw, "a filename holds a control or text-direction character")};
    }
  }
  return std::string(name);
}

}  // namespace ticketd::app

// The value of one hex digit, for the parsers that read hex a character at a
// time (UUID text, percent escapes). Header-only and standard-library-only,
// so the domain can use it; whole byte strings go through encoding.h.
#pragma once

namespace ticketd {

// 0-15 for 0-9, a-f, A-F; -1 for anything else.
constexpr int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace ticketd

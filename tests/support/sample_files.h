// Tiny files whose first bytes libmagic recognises, for the attachment
// tests (unit and end to end). Each is a valid start of its format, padded
// with `filler` so tests can place a marker string inside a file.
#pragma once

#include <string>
#include <string_view>

namespace ticketd::test_support {

inline std::string SamplePng(std::string_view filler = "") {
  return std::string("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00", 29) +
         std::string(filler);
}
inline std::string SampleJpeg(std::string_view filler = "") {
  return std::string("\xff\xd8\xff\xe0\x00\x10JFIF\x00", 11) + std::string(filler);
}
inline std::string SampleGif(std::string_view filler = "") { return std::string("GIF89a\x01\x00\x01\x00", 10) + std::string(filler); }
inline std::string SamplePdf(std::string_view filler = "") { return "%PDF-1.4\n" + std::string(filler) + "\n%%EOF\n"; }
inline std::string SampleWebp(std::string_view filler = "") {
  return std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16) + std::string(filler);
}
inline std::string SampleHeic(std::string_view filler = "") {
  return std::string("\x00\x00\x00\x18" "ftypheic\x00\x00\x00\x00mif1heic", 24) + std::string(filler);
}
inline std::string SampleHtml() { return "<!DOCTYPE html><html><body>hello</body></html>\n"; }

}  // namespace ticketd::test_support

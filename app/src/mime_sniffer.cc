// Type sniffing with libmagic. A magic_t is not thread-safe and loading the
// database costs a few milliseconds, so each thread keeps its own handle for
// its lifetime.
#include <magic.h>

#include <array>
#include <cstring>

#include "ticketd/app/attachment_intake.h"

namespace ticketd::app {
namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;
constexpr std::string_view kUnknown = "application/octet-stream";

class MagicHandle {
 public:
  MagicHandle() : cookie_(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) {
    if (cookie_ != nullptr && magic_load(cookie_, nullptr) != 0) {
      magic_close(cookie_);
      cookie_ = nullptr;
    }
  }
  ~MagicHandle() {
    if (cookie_ != nullptr) magic_close(cookie_);
  }
  MagicHandle(const MagicHandle&) = delete;
  MagicHandle& operator=(const MagicHandle&) = delete;

  std::string Sniff(std::string_view bytes) {
    if (cookie_ == nullptr) return std::string(kUnknown);  // no database: nothing is allowed
    const char* type = magic_buffer(cookie_, bytes.data(), bytes.size());
    return type == nullptr ? std::string(kUnknown) : std::string(type);
  }

 private:
  magic_t cookie_;
};

// The signature each allowed type must start with: libmagic also finds
// "%PDF-" further into a file, which would let an HTML page through as a PDF.
bool StartsAsDeclared(std::string_view type, std::string_view bytes) {
  auto at = [&](std::size_t offset, std::string_view magic) { return bytes.substr(offset, magic.size()) == magic; };
  if (type == "image/png") return at(0, "\x89PNG\r\n\x1a\n");
  if (type == "image/jpeg") return at(0, "\xff\xd8\xff");
  if (type == "image/gif") return at(0, "GIF87a") || at(0, "GIF89a");
  if (type == "image/webp") return at(0, "RIFF") && at(8, "WEBP");
  if (type == "image/heic") return at(4, "ftyp");
  if (type == "application/pdf") return at(0, "%PDF-");
  return true;
}

}  // namespace

bool IsAllowedAttachmentType(std::string_view mime_type) {
  static constexpr std::array<std::string_view, 6> kAllowed = {"image/png",  "image/jpeg", "image/gif",
                                                               "image/webp", "image/heic", "application/pdf"};
  for (std::string_view allowed : kAllowed) {
    if (mime_type == allowed) return true;
  }
  return false;
}

std::string SniffMimeType(std::string_view bytes) {
  thread_local MagicHandle handle;
  std::string_view head = bytes.substr(0, kSniffBytes);
  std::string type = handle.Sniff(head);
  if (!IsAllowedAttachmentType(type) || StartsAsDeclared(type, head)) return type;
  // A polyglot: say what it starts as.
  std::size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && head[first] == '<') return "text/html";
  return std::string(kUnknown);
}

}  // namespace ticketd::app

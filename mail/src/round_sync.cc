#include "round_sync.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace ticketd::mail {
namespace {

// "Name:   1234 kB" -> bytes.
std::optional<std::uint64_t> FieldBytes(std::string_view text, std::string_view name) {
  std::size_t at = 0;
  while ((at = text.find(name, at)) != std::string_view::npos) {
    if (at == 0 || text[at - 1] == '\n') break;
    at += name.size();
  }
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t digits = text.find_first_of("0123456789", at + name.size());
  if (digits == std::string_view::npos) return std::nullopt;
  std::uint64_t kib = 0;
  const auto [end, error] = std::from_chars(text.data() + digits, text.data() + text.size(), kib);
  if (error != std::errc()) return std::nullopt;
  return kib * 1024;
}

}  // namespace

std::optional<std::uint64_t> ParseDirtyBytes(std::string_view meminfo) {
  const std::optional<std::uint64_t> dirty = FieldBytes(meminfo, "Dirty:");
  const std::optional<std::uint64_t> writeback = FieldBytes(meminfo, "Writeback:");
  if (!dirty || !writeback) return std::nullopt;
  return *dirty + *writeback;
}

std::optional<std::uint64_t> DirtyPageCacheBytes() {
  std::ifstream in("/proc/meminfo");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return ParseDirtyBytes(text.str());
}

bool SyncWholeFilesystem(SpoolSync mode) {
  switch (mode) {
    case SpoolSync::kWholeFilesystem:
      return true;
    case SpoolSync::kEachFile:
      return false;
    case SpoolSync::kAuto: {
      const std::optional<std::uint64_t> dirty = DirtyPageCacheBytes();
      return dirty && *dirty <= kWholeFilesystemSyncDirtyLimit;
    }
  }
  return false;
}

}  // namespace ticketd::mail

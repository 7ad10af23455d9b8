// Scans of a directory's bytes for the tests that prove something is (or is
// no longer) on disk: plaintext markers after erasure, ciphertext only for
// attachments. Raw bytes of every regular file below the directory
// (RocksDB's SSTs, WAL, MANIFEST, blob files, spooled mails, ...).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ticketd::test_support {

// The files below `dir` whose bytes contain `needle` (for failure messages).
std::vector<std::string> FilesContaining(const std::string& dir, std::string_view needle);

// Whether any file below `dir` contains `needle`.
inline bool AnyFileContains(const std::string& dir, std::string_view needle) {
  return !FilesContaining(dir, needle).empty();
}

}  // namespace ticketd::test_support

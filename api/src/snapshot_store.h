// SnapshotStore: the snapshot files under DATA_DIR/snapshots/ (format in
// docs/snapshots.md). A file is written to a temp name, fsynced, renamed
// into place and the directory fsynced, so a crash leaves either the old set
// or the new file complete. Each file carries a format version, the log
// position it covers with that position's chain hash, and a SHA-256 of all of
// it; a file that fails any check is skipped with a line on stderr.
// Not thread-safe: the engine serializes its calls.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/domain/status.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::api {

// 1: plain body; 2: body sealed under the master key (AES-256-GCM), so no
// personal data lies in a snapshot file in clear.
inline constexpr std::uint32_t kSnapshotFormatVersion = 2;
inline constexpr std::uint32_t kPlainSnapshotFormatVersion = 1;

struct SnapshotHeader {
  std::uint64_t position = 0;        // the last log position the body covers
  eventstore::Hash chain_hash{};     // that position's chain hash
  bool sealed = false;               // read: the body was sealed (version 2)
};

class SnapshotStore {
 public:
  // With a master key, bodies are written sealed (version 2); without, plain.
  explicit SnapshotStore(std::string dir, std::optional<eventstore::MasterKey> key = std::nullopt,
                         std::size_t keep = 2)
      : dir_(std::move(dir)), key_(key), keep_(keep) {}

  // Writes one snapshot durably, then deletes all but the newest `keep`
  // files (or, with only_this, every other snapshot file).
  Status Write(const SnapshotHeader& header, std::string_view body, bool only_this = false) const;

  // Offers the valid snapshots to `accept`, newest first, until it returns
  // true. NotFound if none was accepted (then a full replay is needed).
  Status LoadNewest(const std::function<bool(const SnapshotHeader&, std::string_view body)>& accept) const;

  // The snapshot file names present, newest first (tests, pruning).
  std::vector<std::string> List() const;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::optional<eventstore::MasterKey> key_;
  std::size_t keep_;
};

}  // namespace ticketd::api

// Backups of a data dir: a consistent copy that a ticketd can start from.
//
// The copy holds, in this order: every entry of the data dir other than the
// event log (copied as they are, e.g. snapshots), then a RocksDB checkpoint
// of the log under <to>/log. Copying the other entries first means anything
// derived from the log (a snapshot at some position) is never newer than the
// log copy beside it. The log copy holds whole batches only; its head
// {position, hash} is what the backup contains, exactly.
//
// The copy is built in a hidden sibling ".NAME.partial-XXXXXX" (mode 0700,
// every file in it owner-only) and renamed to `to` last: a folder under the
// target's name is always a complete backup, and a crash leaves only the
// partial one (which ticketd refuses to start on: it has no log).
//
// Online: POST /api/v1/admin/backups (platform admin) while the server runs,
// since the running server holds the log's lock; the engine runs it on its
// backup thread, ordered against erasures (Engine::Backup). Offline:
// `ticketd backup` (api/src/backup_command.h).
// Thread-safety: BackupDataDir may run concurrently with the engine's writer;
// concurrent backups are serialised inside it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "ticketd/base/status.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::app {

struct BackupResult {
  std::string to;              // the backup dir, as given
  std::uint64_t position = 0;  // the newest event the backup holds
  eventstore::Hash hash{};     // its chain hash (compare with GET /api/v1/audit/head)
};

// Backs up `data_dir` (whose log `log` is) into `to`: an absolute path that
// is missing or an empty directory, outside the data dir. InvalidArgument
// when `to` is unusable (relative, not empty, inside the data dir, not
// writable: the message says which), IOError when reading the source failed.
Status BackupDataDir(const eventstore::EventLog& log, const std::string& data_dir, const std::string& to,
                     BackupResult* result);

// Refuses a data dir that holds files but no event log (an interrupted
// backup, a folder of something else): starting there would make a new empty
// log beside them. A new data dir may hold only its master key file.
// InvalidArgument with a message saying what was found.
Status CheckDataDirLayout(const std::string& data_dir);

// A live store in a directory of the data dir that a file-by-file copy
// could catch mid-write (the mail queue's RocksDB, app/src/mailer.cc) says
// how to copy itself consistently into a missing directory; an online backup
// calls that instead of copying the directory (with the other entries, so
// before the log's checkpoint). Unregister waits for a copy in progress.
using LiveDirectoryCopy = std::function<Status(const std::string& to)>;
void RegisterLiveDirectory(const std::string& dir, LiveDirectoryCopy copy);
void UnregisterLiveDirectory(const std::string& dir);

// {to, position, hash(hex)}: the answer of the route and of the command.
std::string BackupJson(const BackupResult& result);

// The log's place inside a data dir.
inline constexpr const char* kLogDirName = "log";

}  // namespace ticketd::app

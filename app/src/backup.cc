#include "ticketd/app/backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <string_view>
#include <vector>

#include "ticketd/eventstore/failpoint.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::app {
namespace {

namespace fs = std::filesystem;

// Is `inner` (after resolving symlinks and dots) `outer` or below it?
bool IsWithin(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  fs::path a = fs::weakly_canonical(inner, ec);
  fs::path b = fs::weakly_canonical(outer, ec);
  auto [end_b, end_a] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return end_b == b.end();
}

// Where a backup is built before its final rename: a hidden sibling of the
// target, so an interrupted backup never sits under the target's name and
// is recognisable by its own (".NAME.partial-XXXXXX").
constexpr std::string_view kPartialInfix = ".partial-";

// `to` must be absolute, outside the data dir, and missing or an empty
// directory. On success *staging is a new empty directory (0700) beside it.
Status PrepareTarget(const fs::path& data_dir, const std::string& to_text, fs::path* staging) {
  // A path is a C string to the kernel: "/a\0/b" would silently become "/a".
  if (to_text.find('\0') != std::string::npos) return Status::InvalidArgument("must not contain a NUL byte");
  fs::path to = fs::path(to_text).lexically_normal();
  if (!to.is_absolute()) return Status::InvalidArgument("must be an absolute path");
  if (!to.has_filename()) to = to.parent_path();
  if (to == to.root_path()) return Status::InvalidArgument("must not be the root directory");
  if (IsWithin(to, data_dir) || IsWithin(data_dir, to))
    return Status::InvalidArgument("must not be inside the data dir (or contain it)");
  std::error_code ec;
  if (fs::exists(to, ec)) {
    if (!fs::is_directory(to, ec)) return Status::InvalidArgument("exists and is not a directory");
    if (!fs::is_empty(to, ec) || ec) return Status::InvalidArgument("is not an empty directory");
  }
  fs::create_directories(to.parent_path(), ec);
  if (ec) return Status::InvalidArgument("cannot be created: " + ec.message());
  std::string pattern = (to.parent_path() / ("." + to.filename().string() + std::string(kPartialInfix) + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr)  // mode 0700
    return Status::InvalidArgument("cannot be created: " + std::string(std::strerror(errno)));
  *staging = pattern;
  return Status::Ok();
}

// RegisterLiveDirectory's entries, by canonical path.
struct LiveDirectories {
  std::mutex mu;  // held across a copy, so Unregister waits for it
  std::map<fs::path, LiveDirectoryCopy> copies;
};
LiveDirectories& Live() {
  static LiveDirectories live;
  return live;
}
fs::path CanonicalOf(const fs::path& dir) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(dir, ec);
  return ec ? dir : canonical;
}

// Copies `dir` with its registered live copy. False when none is registered.
bool CopyLiveDirectory(const fs::path& dir, const fs::path& target, Status* status) {
  LiveDirectories& live = Live();
  std::lock_guard lock(live.mu);
  auto it = live.copies.find(CanonicalOf(dir));
  if (it == live.copies.end()) return false;
  *status = it->second(target.string());
  return true;
}

// Everything of the data dir except the log, as it is now, owner-only.
// Leftover temp files (a snapshot being written) are not part of the state.
Status CopyOtherEntries(const fs::path& from, const fs::path& to, bool top = true) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(from, ec)) {
    const std::string name = entry.path().filename().string();
    if ((top && name == kLogDirName) || name.ends_with(".tmp")) continue;
    const fs::path target = to / name;
    if (entry.is_directory(ec)) {
      Status live;
      if (CopyLiveDirectory(entry.path(), target, &live)) {
        if (!live.ok()) return live;
        continue;
      }
      if (::mkdir(target.c_str(), 0700) != 0) return Status::IOError("creating " + target.string() + ": " + std::strerror(errno));
      Status s = CopyOtherEntries(entry.path(), target, false);
      if (!s.ok()) return s;
    } else if (entry.is_regular_file(ec)) {
      fs::copy_file(entry.path(), target, ec);
      // The mail spool renames its staged files into the outbox (and a mail
      // reader may take them away) while we copy: a file gone between the
      // listing and the copy is not part of the state any more.
      if (ec == std::errc::no_such_file_or_directory) {
        ec.clear();
        continue;
      }
      if (!ec) fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write, ec);
      if (ec) return Status::IOError("copying " + entry.path().string() + ": " + ec.message());
    }
  }
  // The same for a directory that went away while listed (the spool
  // replaces its staging dir at start).
  if (ec == std::errc::no_such_file_or_directory && !top) return Status::Ok();
  if (ec) return Status::IOError("listing " + from.string() + ": " + ec.message());
  return Status::Ok();
}

// The checkpoint's directories and hard links keep RocksDB's modes (0755,
// 0644): the backup is as private as the data dir.
Status RestrictToOwner(const fs::path& dir) {
  std::error_code ec;
  fs::permissions(dir, fs::perms::owner_all, ec);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const bool is_dir = it->is_directory(ec);
    fs::permissions(it->path(), is_dir ? fs::perms::owner_all : fs::perms::owner_read | fs::perms::owner_write, ec);
    if (ec) break;
  }
  return ec ? Status::IOError("restricting " + dir.string() + " to its owner: " + ec.message()) : Status::Ok();
}

Status SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + dir.string() + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::IOError("cannot fsync " + dir.string());
}

// The finished backup takes its name last; `to` may be an empty directory
// (rename replaces it).
Status Publish(const fs::path& staging, const std::string& to_text) {
  fs::path to = fs::path(to_text).lexically_normal();
  if (!to.has_filename()) to = to.parent_path();
  Status s = SyncDirectory(staging);
  if (!s.ok()) return s;
  if (::rename(staging.c_str(), to.c_str()) != 0) {
    if (errno == EXDEV || errno == EBUSY)  // `to` is a mount point: the staging sibling is on another file system
      return Status::InvalidArgument("must be on the same file system as its parent (give a directory below a mount point)");
    return Status::IOError("renaming the finished backup to " + to.string() + ": " + std::strerror(errno));
  }
  return SyncDirectory(to.parent_path());
}

}  // namespace

void RegisterLiveDirectory(const std::string& dir, LiveDirectoryCopy copy) {
  LiveDirectories& live = Live();
  std::lock_guard lock(live.mu);
  live.copies[CanonicalOf(dir)] = std::move(copy);
}

void UnregisterLiveDirectory(const std::string& dir) {
  LiveDirectories& live = Live();
  std::lock_guard lock(live.mu);
  live.copies.erase(CanonicalOf(dir));
}

std::string BackupJson(const BackupResult& result) {
  projections::JsonWriter json;
  json.BeginObject().Key("to").String(result.to);
  json.Key("position").Int(static_cast<std::int64_t>(result.position));
  json.Key("hash").String(eventstore::HashToHex(result.hash)).EndObject();
  return json.Take();
}

Status BackupDataDir(const eventstore::EventLog& log, const std::string& data_dir, const std::string& to,
                     BackupResult* result) {
  static std::mutex one_at_a_time;
  std::lock_guard lock(one_at_a_time);
  fs::path staging;
  try {
    Status s = PrepareTarget(data_dir, to, &staging);
    if (!s.ok()) return s;
    s = CopyOtherEntries(data_dir, staging);
    // Snapshots first, log second: no snapshot is newer than the log beside it.
    if (s.ok()) s = eventstore::Failpoint("backup.copied");
    if (s.ok()) s = log.Checkpoint((staging / kLogDirName).string(), &result->position, &result->hash);
    if (s.ok()) s = RestrictToOwner(staging);
    if (s.ok()) s = Publish(staging, to);
    if (!s.ok()) {
      // Leave no half backup that could be mistaken for a good one.
      std::error_code ignored;
      fs::remove_all(staging, ignored);
      return s;
    }
    result->to = to;
    return Status::Ok();
  } catch (const std::exception& e) {
    std::error_code ignored;
    if (!staging.empty()) fs::remove_all(staging, ignored);
    return Status::IOError(std::string("backup failed: ") + e.what());
  }
}

Status CheckDataDirLayout(const std::string& data_dir) {
  std::error_code ec;
  const fs::path log_dir = fs::path(data_dir) / kLogDirName;
  if (fs::exists(log_dir, ec) && !fs::is_empty(log_dir, ec)) return Status::Ok();
  for (const fs::directory_entry& entry : fs::directory_iterator(data_dir, ec)) {
    const std::string name = entry.path().filename().string();
    // lost+found: a fresh file system mounted as the data dir.
    if (name == kLogDirName || name == "master.key" || name == "master.key.tmp" || name == "lost+found") continue;
    return Status::InvalidArgument("the data dir " + data_dir + " holds '" + name +
                                   "' but no event log (log/): an interrupted backup or another program's "
                                   "folder. Refusing to start a new empty log there; give an empty or "
                                   "missing directory, or a complete backup");
  }
  return Status::Ok();  // missing, empty, or only a master key: a new data dir
}

}  // namespace ticketd::app

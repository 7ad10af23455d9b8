#include "ticketd/app/backup.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <vector>

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

// `to` must be absolute, outside the data dir, and missing or empty; it
// exists (created) on success.
Status PrepareTarget(const fs::path& data_dir, const fs::path& to) {
  if (!to.is_absolute()) return Status::InvalidArgument("must be an absolute path");
  if (IsWithin(to, data_dir) || IsWithin(data_dir, to))
    return Status::InvalidArgument("must not be inside the data dir (or contain it)");
  std::error_code ec;
  if (fs::exists(to, ec)) {
    if (!fs::is_directory(to, ec)) return Status::InvalidArgument("exists and is not a directory");
    if (!fs::is_empty(to, ec) || ec) return Status::InvalidArgument("is not an empty directory");
    return Status::Ok();
  }
  fs::create_directories(to, ec);
  if (ec) return Status::InvalidArgument("cannot be created: " + ec.message());
  return Status::Ok();
}

// Everything of the data dir except the log, copied as it is now.
Status CopyOtherEntries(const fs::path& data_dir, const fs::path& to) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(data_dir, ec)) {
    if (entry.path().filename() == kLogDirName) continue;
    fs::copy(entry.path(), to / entry.path().filename(),
             fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    if (ec) return Status::IOError("copying " + entry.path().string() + ": " + ec.message());
  }
  if (ec) return Status::IOError("listing " + data_dir.string() + ": " + ec.message());
  return Status::Ok();
}

constexpr const char* kBackupUsage =
    "usage: ticketd backup --data-dir DIR --to BACKUP_DIR [--master-key-file F]\n"
    "  Copies a STOPPED server's data dir (for a running one: POST /api/v1/admin/backups, ops/backup).\n"
    "  BACKUP_DIR: absolute, missing or empty. Start a server on it with --data-dir BACKUP_DIR.\n";

}  // namespace

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
  try {
    Status s = PrepareTarget(data_dir, to);
    if (!s.ok()) return s;
    s = CopyOtherEntries(data_dir, to);
    if (s.ok()) s = log.Checkpoint((fs::path(to) / kLogDirName).string(), &result->position, &result->hash);
    if (!s.ok()) {
      // Leave no half backup that could be mistaken for a good one.
      std::error_code ignored;
      std::vector<fs::path> made;
      for (const fs::directory_entry& entry : fs::directory_iterator(to, ignored)) made.push_back(entry.path());
      for (const fs::path& path : made) fs::remove_all(path, ignored);
      return s;
    }
    result->to = to;
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::IOError(std::string("backup failed: ") + e.what());
  }
}

int RunBackupCommand(int argc, char** argv) {
  std::string data_dir, to, key_file;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kBackupUsage, stdout);
      return 0;
    }
    if ((arg == "--data-dir" || arg == "--to" || arg == "--master-key-file") && i + 1 < argc) {
      (arg == "--to" ? to : arg == "--data-dir" ? data_dir : key_file) = argv[++i];
      continue;
    }
    std::fprintf(stderr, "ticketd backup: unexpected argument '%s'\n%s", argv[i], kBackupUsage);
    return 2;
  }
  if (data_dir.empty() || to.empty()) {
    std::fprintf(stderr, "ticketd backup: --data-dir and --to are required\n%s", kBackupUsage);
    return 2;
  }
  eventstore::EventLogOptions options;
  options.path = (fs::path(data_dir) / kLogDirName).string();
  options.create_if_missing = false;
  // The log checks its master key on open, as ticketd does (env
  // TICKETD_MASTER_KEY, else --master-key-file, else DIR/master.key).
  const char* env = std::getenv("TICKETD_MASTER_KEY");
  if (key_file.empty()) key_file = (fs::path(data_dir) / "master.key").string();
  eventstore::MasterKey key{};
  bool generated = false;
  Status loaded = eventstore::LoadMasterKey(env ? env : "", key_file, /*create=*/false, &key, &generated);
  if (loaded.ok()) {
    options.master_key = key;
  } else if (!loaded.IsNotFound()) {
    std::fprintf(stderr, "ticketd backup: master key: %s\n", loaded.ToString().c_str());
    return 2;
  }
  std::unique_ptr<eventstore::EventLog> log;
  Status s = eventstore::EventLog::Open(options, &log);
  if (!s.ok()) {
    std::fprintf(stderr,
                 "ticketd backup: cannot open %s: %s\n"
                 "ticketd backup: for a running server use POST /api/v1/admin/backups (ops/backup)\n",
                 data_dir.c_str(), s.ToString().c_str());
    return 1;
  }
  BackupResult result;
  s = BackupDataDir(*log, data_dir, to, &result);
  if (!s.ok()) {
    std::fprintf(stderr, "ticketd backup: %s: %s\n", to.c_str(), s.ToString().c_str());
    return 1;
  }
  std::printf("%s\n", BackupJson(result).c_str());
  return 0;
}

}  // namespace ticketd::app

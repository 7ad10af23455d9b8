#include "backup.h"

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

namespace ticketd::api {
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

}  // namespace ticketd::api

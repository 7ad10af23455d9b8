#include "backup_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "ticketd/app/backup.h"
#include "ticketd/app/engine.h"
#include "ticketd/eventstore/subject_keys.h"

namespace ticketd::api {

namespace fs = std::filesystem;

CLI::App* AddBackupCommand(CLI::App& app, BackupCommandOptions* options) {
  CLI::App* backup = app.add_subcommand(
      "backup",
      "Copies a STOPPED server's data dir (for a running one: POST /api/v1/admin/backups, ops/backup).\n"
      "Start a server on the copy with --data-dir BACKUP_DIR.");
  backup->add_option("--data-dir", options->data_dir, "the data dir of the stopped server")->required();
  backup->add_option("--to", options->to, "BACKUP_DIR: absolute, missing or empty")->required();
  backup->add_option("--master-key-file", options->master_key_file,
                     "the key the log is sealed with (else env TICKETD_MASTER_KEY, else DIR/master.key)");
  return backup;
}

int RunBackupCommand(const BackupCommandOptions& command) {
  eventstore::EventLogOptions options;
  options.path = (fs::path(command.data_dir) / app::kLogDirName).string();
  options.create_if_missing = false;
  // The log checks its master key on open, as ticketd does (env
  // TICKETD_MASTER_KEY, else --master-key-file, else DIR/master.key).
  const char* env = std::getenv("TICKETD_MASTER_KEY");
  const std::string key_file = command.master_key_file.empty()
                                   ? (fs::path(command.data_dir) / "master.key").string()
                                   : command.master_key_file;
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
                 command.data_dir.c_str(), s.ToString().c_str());
    return 1;
  }
  app::BackupResult result;
  s = app::BackupDataDir(*log, command.data_dir, command.to, &result);
  if (!s.ok()) {
    std::fprintf(stderr, "ticketd backup: %s: %s\n", command.to.c_str(), s.ToString().c_str());
    return 1;
  }
  std::printf("%s\n", BackupJson(result).c_str());
  return 0;
}

}  // namespace ticketd::api

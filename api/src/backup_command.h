// `ticketd backup --data-dir DIR --to DIR [--master-key-file F]`: an offline
// backup of a stopped server's data dir (backup.h does the copying). It is a
// subcommand of ticketd's command line (server_command_line.h).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace ticketd::api {

struct BackupCommandOptions {
  std::string data_dir;
  std::string to;
  std::string master_key_file;  // empty: env TICKETD_MASTER_KEY, else DIR/master.key
};

// Adds the `backup` subcommand with its flags, bound to `options`, to `app`.
CLI::App* AddBackupCommand(CLI::App& app, BackupCommandOptions* options);

// Opens the log, backs it up, prints {to, position, hash} as JSON. Returns
// the process exit code: 0 ok, 1 failed, 2 an unusable master key.
int RunBackupCommand(const BackupCommandOptions& options);

}  // namespace ticketd::api

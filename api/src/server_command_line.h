// ticketd's command line: the server's flags (ServerOptions) and the
// `backup` subcommand, parsed strictly by CLI11 (ticketd/cli/command_line.h).
// A new server flag is one add_option line in server_command_line.cc.
#pragma once

#include <optional>

#include "backup_command.h"
#include "server_options.h"

namespace ticketd::api {

struct ServerCommandLine {
  ServerOptions server;
  std::optional<BackupCommandOptions> backup;  // set when `ticketd backup ...` was asked for
};

// Parses argv. Returns the exit code when ticketd is to stop now (0 after
// --help, 2 after a message on stderr for an unknown flag or a malformed
// value); nullopt: `command_line` is filled, including what comes from the
// environment (TICKETD_ADMIN_TOKEN, TICKETD_MASTER_KEY).
std::optional<int> ParseServerCommandLine(int argc, char** argv, ServerCommandLine* command_line);

}  // namespace ticketd::api

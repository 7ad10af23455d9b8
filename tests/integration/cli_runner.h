// Runs the ticket-replay CLI as a user would (exit code, stdout, stderr).
#pragma once

#include <cstdlib>
#include <string>

#include "command_runner.h"

namespace ticketd::integration {

using CliResult = CommandResult;

// $TICKET_REPLAY_BINARY, else the path CMake compiled in.
inline std::string ReplayBinary() {
  if (const char* env = std::getenv("TICKET_REPLAY_BINARY"); env && *env) return env;
  return TICKET_REPLAY_BINARY;
}

// `args` go through the shell unquoted: pass paths without spaces.
inline CliResult RunReplay(const std::string& args) { return RunCommand(ReplayBinary() + " " + args); }

}  // namespace ticketd::integration

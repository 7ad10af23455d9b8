// Running the project's command-line tools (ticket-replay, `ticketd backup`)
// from end-to-end tests: exit code, stdout and stderr of one run.
// Thread-safety: may be called from any thread.
#pragma once

#include <cstdlib>
#include <string>

#include "command_runner.h"

namespace ticketd::integration {

using CliResult = CommandResult;

// The ticket-replay binary: $TICKET_REPLAY_BINARY, else the path CMake compiled in.
inline std::string ReplayBinary() {
  if (const char* env = std::getenv("TICKET_REPLAY_BINARY"); env && *env) return env;
  return TICKET_REPLAY_BINARY;
}

// Runs `binary args` through /bin/sh (args are pasted as they are, so keep
// them free of shell metacharacters: temp dir paths and ids are).
inline CliResult RunCli(const std::string& binary, const std::string& args) {
  return RunCommand(binary + " " + args);
}

inline CliResult RunReplay(const std::string& args) { return RunCli(ReplayBinary(), args); }

}  // namespace ticketd::integration

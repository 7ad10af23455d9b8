// Running the project's command-line tools (ticket-replay, `ticketd backup`)
// from end-to-end tests: exit code, stdout and stderr of one run.
// Thread-safety: RunCli may be called from any thread.
#pragma once

#include <string>

namespace ticketd::integration {

struct CliResult {
  int exit_code = -1;  // -1: did not start or did not exit normally
  std::string out;
  std::string err;
};

// The ticket-replay binary: $TICKET_REPLAY_BINARY, else the path CMake compiled in.
std::string ReplayBinary();

// Runs `binary args` through /bin/sh (args are pasted as they are, so keep
// them free of shell metacharacters: temp dir paths and ids are).
CliResult RunCli(const std::string& binary, const std::string& args);

inline CliResult RunReplay(const std::string& args) { return RunCli(ReplayBinary(), args); }

}  // namespace ticketd::integration

// Runs the real `ticket-replay` binary ($TICKET_REPLAY_BINARY, else the path
// CMake compiled in) and captures its exit code, stdout and stderr.
#pragma once

#include <string>

namespace ticketd::integration {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReplayBinary();
// `args` go through the shell unquoted: pass only paths and plain words.
CliResult RunReplay(const std::string& args);

}  // namespace ticketd::integration

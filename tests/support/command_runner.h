// RunCommand: runs a shell command line to completion and returns its exit
// code, stdout and stderr, for tests that drive command-line tools (kcat,
// ticket-replay) against a running server.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace ticketd::integration {

struct CommandResult {
  int exit_code = -1;  // -1: could not run, or killed by a signal
  std::string out;
  std::string err;
};

inline CommandResult RunCommand(const std::string& command_line) {
  CommandResult result;
  char err_path[] = "/tmp/ticketd-it-stderr-XXXXXX";
  int fd = mkstemp(err_path);
  if (fd < 0) return result;
  close(fd);
  FILE* pipe = popen((command_line + " 2>" + err_path).c_str(), "r");
  if (pipe) {
    char buffer[4096];
    std::size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
    int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ifstream err(err_path);
  result.err.assign(std::istreambuf_iterator<char>(err), {});
  std::filesystem::remove(err_path);
  return result;
}

}  // namespace ticketd::integration

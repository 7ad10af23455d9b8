#include "cli_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace ticketd::integration {

std::string ReplayBinary() {
  if (const char* env = std::getenv("TICKET_REPLAY_BINARY"); env && *env) return env;
  return TICKET_REPLAY_BINARY;
}

CliResult RunCli(const std::string& binary, const std::string& args) {
  CliResult result;
  char err_path[] = "/tmp/ticketd-cli-err-XXXXXX";
  int fd = mkstemp(err_path);
  if (fd < 0) return result;
  close(fd);
  std::string command = binary + " " + args + " 2>" + err_path;
  FILE* pipe = popen(command.c_str(), "r");
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

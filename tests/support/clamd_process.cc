#include "clamd_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "poll_until.h"

namespace ticketd::test_support {
namespace {

bool SocketAccepts(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return ok;
}

std::string Hex(const std::string& text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ClamdProcess::ClamdProcess(std::string marker) : marker_(std::move(marker)) {}

ClamdProcess::~ClamdProcess() { Stop(); }

std::string ClamdProcess::Start() {
  if (!dir_.ok()) return "no temp dir";
  const std::string root = dir_.path();
  std::filesystem::create_directories(root + "/db");
  socket_path_ = root + "/clamd.sock";
  std::ofstream(root + "/db/ticketd-test.ndb") << kSignaturePrefix << ":0:*:" << Hex(marker_) << "\n";
  std::ofstream(root + "/clamd.conf") << "Foreground yes\n"
                                      << "LocalSocket " << socket_path_ << "\n"
                                      << "DatabaseDirectory " << root << "/db\n"
                                      << "TemporaryDirectory " << root << "\n"
                                      << "LogFile " << root << "/clamd.log\n"
                                      << "MaxThreads 4\n"
                                      << "StreamMaxLength 30M\n";
  pid_ = ::fork();
  if (pid_ < 0) return "fork failed";
  if (pid_ == 0) {
    int null = ::open("/dev/null", O_WRONLY);  // clamd also logs to its LogFile
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    const std::string config = "--config-file=" + root + "/clamd.conf";
    ::execl("/usr/sbin/clamd", "clamd", config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const bool up = PollUntil([&] {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    return SocketAccepts(socket_path_);
  }, std::chrono::seconds(60));
  if (!up || pid_ < 0) return "clamd did not start: " + ReadAll(root + "/clamd.log");
  return "";
}

void ClamdProcess::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  if (!PollUntil([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, std::chrono::seconds(10))) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

}  // namespace ticketd::test_support

#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "http_client.h"

extern char** environ;

namespace ticketd::integration {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStartDeadline{30};
constexpr int kStopTimeoutMs = 30'000;
constexpr std::string_view kListeningMarker = "listening on http://";

// The port of a "... listening on http://HOST:PORT" line, 0 if none.
std::uint16_t PortOf(const std::string& line) {
  std::size_t at = line.find(kListeningMarker);
  if (at == std::string::npos) return 0;
  std::string_view address = std::string_view(line).substr(at + kListeningMarker.size());
  std::size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return 0;
  unsigned port = 0;
  for (char c : address.substr(colon + 1)) {
    if (c < '0' || c > '9') break;
    port = port * 10 + static_cast<unsigned>(c - '0');
    if (port > 65535) return 0;
  }
  return static_cast<std::uint16_t>(port);
}

std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/ticketd-it-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

}  // namespace

ServerProcess::ServerProcess(std::string binary, std::string admin_token)
    : binary_(std::move(binary)), admin_token_(std::move(admin_token)) {}

ServerProcess::~ServerProcess() {
  if (running()) Kill9();
  JoinReader();
  if (!data_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
  }
}

::testing::AssertionResult ServerProcess::Start() {
  if (running()) return ::testing::AssertionFailure() << "the server is already running";
  if (binary_.empty()) {
    return ::testing::AssertionFailure()
           << "the ticketd binary is not known: the `ticketd` CMake target did not exist when this test was "
              "configured; reconfigure once api/CMakeLists.txt defines it";
  }
  if (!data_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
  }
  data_dir_ = MakeTempDir();
  if (data_dir_.empty()) return ::testing::AssertionFailure() << "mkdtemp failed: " << std::strerror(errno);
  return Launch();
}

::testing::AssertionResult ServerProcess::Restart() {
  if (running()) return ::testing::AssertionFailure() << "Restart() while the server is still running";
  if (data_dir_.empty()) return ::testing::AssertionFailure() << "Restart() before Start()";
  return Launch();
}

::testing::AssertionResult ServerProcess::Launch() {
  JoinReader();
  {
    std::lock_guard lock(mutex_);
    lines_.clear();
    stderr_closed_ = false;
  }
  port_ = 0;

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ::testing::AssertionFailure() << "pipe2: " << std::strerror(errno);
  std::vector<std::string> args = {binary_,         "--data-dir", data_dir_, "--listen", "127.0.0.1:0",
                                   "--admin-token", admin_token_, "--kafka", "off"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int spawn_error = 0;
  pid_t pid = Spawn(argv, fds[1], &spawn_error);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return ::testing::AssertionFailure() << "starting " << binary_ << ": " << std::strerror(spawn_error);
  }
  pid_ = pid;
  reader_ = std::thread([this, fd = fds[0]] { ReadStderr(fd); });

  // The listening line first: it carries the port.
  const auto deadline = Clock::now() + kStartDeadline;
  {
    std::unique_lock lock(mutex_);
    bool seen = changed_.wait_until(lock, deadline, [&] {
      for (const auto& line : lines_)
        if (std::uint16_t port = PortOf(line)) {
          port_ = port;
          return true;
        }
      return stderr_closed_;
    });
    if (!seen || port_ == 0) {
      lock.unlock();
      Kill9();
      return ::testing::AssertionFailure() << "ticketd printed no `listening on http://` line within "
                                           << kStartDeadline.count() << " s; stderr:\n"
                                           << StderrTail();
    }
  }
  // Then /healthz: short waits between attempts, bounded by the same deadline.
  HttpClient client("127.0.0.1", port_);
  std::string last;
  while (Clock::now() < deadline) {
    HttpResponse response = client.Request("GET", "/healthz");
    if (response.status == 200) return ::testing::AssertionSuccess();
    last = response.status == 0 ? response.body : "status " + std::to_string(response.status);
    client.Close();
    std::unique_lock lock(mutex_);
    if (changed_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stderr_closed_; })) break;
  }
  Kill9();
  return ::testing::AssertionFailure() << "GET /healthz did not answer 200 (last: " << last << "); stderr:\n"
                                       << StderrTail();
}

pid_t ServerProcess::Spawn(std::vector<char*>& argv, int stderr_fd, int* error) const {
  std::vector<std::string> env_strings(extra_env_);
  std::vector<char*> env;
  for (std::string& entry : env_strings) env.push_back(entry.data());
  for (char** entry = environ; *entry != nullptr; ++entry) env.push_back(*entry);
  env.push_back(nullptr);
  if (file_size_limit_ > 0) {
    // posix_spawn cannot set a resource limit: fork, and between fork and
    // exec only async-signal-safe calls (setrlimit, sigaction, dup2, execve).
    pid_t pid = fork();
    if (pid < 0) {
      *error = errno;
      return -1;
    }
    if (pid == 0) {
      rlimit limit{static_cast<rlim_t>(file_size_limit_), static_cast<rlim_t>(file_size_limit_)};
      setrlimit(RLIMIT_FSIZE, &limit);
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      sigaction(SIGXFSZ, &ignore, nullptr);
      struct sigaction by_default {};
      by_default.sa_handler = SIG_DFL;
      for (int signal_number : {SIGTERM, SIGINT, SIGPIPE}) sigaction(signal_number, &by_default, nullptr);
      sigset_t empty_set;
      sigemptyset(&empty_set);
      sigprocmask(SIG_SETMASK, &empty_set, nullptr);
      dup2(stderr_fd, STDERR_FILENO);
      execve(argv[0], argv.data(), env.data());
      _exit(127);
    }
    return pid;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
  // The child starts with default signal handling and nothing blocked, so
  // SIGTERM reaches it whatever the test process has done with its mask.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t empty_set;
  sigemptyset(&empty_set);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &empty_set);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, &attributes, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    *error = rc;
    return -1;
  }
  return pid;
}

::testing::AssertionResult ServerProcess::Stop() {
  if (!running()) return ::testing::AssertionFailure() << "Stop() but the server is not running";
  kill(pid_, SIGTERM);
  int status = 0;
  if (!WaitForExit(kStopTimeoutMs, &status)) {
    Kill9();
    return ::testing::AssertionFailure()
           << "ticketd did not exit within " << kStopTimeoutMs / 1000 << " s of SIGTERM; stderr:\n"
           << StderrTail();
  }
  JoinReader();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  if (WIFEXITED(status)) {
    failure << "ticketd exited with status " << WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    failure << "ticketd died of signal " << WTERMSIG(status);
  }
  return failure << " after SIGTERM; stderr:\n" << StderrTail();
}

void ServerProcess::Kill9() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  int status = 0;
  WaitForExit(kStopTimeoutMs, &status);
  JoinReader();
}

bool ServerProcess::WaitForExit(int timeout_ms, int* wait_status) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    pid_t done = waitpid(pid_, wait_status, WNOHANG);
    if (done == pid_ || (done < 0 && errno == ECHILD)) {
      pid_ = -1;
      return true;
    }
    if (Clock::now() >= deadline) return false;
    // The child closing its stderr is the usual wake-up; the short wait
    // bounds the latency when something else holds the pipe.
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::milliseconds(10), [&] { return stderr_closed_; });
  }
}

void ServerProcess::ReadStderr(int fd) {
  std::string pending;
  char chunk[4096];
  while (true) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(chunk, static_cast<std::size_t>(n));
    std::size_t newline;
    bool any = false;
    std::lock_guard lock(mutex_);
    while ((newline = pending.find('\n')) != std::string::npos) {
      lines_.push_back(pending.substr(0, newline));
      pending.erase(0, newline + 1);
      any = true;
    }
    if (any) changed_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  if (!pending.empty()) lines_.push_back(pending);
  stderr_closed_ = true;
  changed_.notify_all();
}

void ServerProcess::JoinReader() {
  if (reader_.joinable()) reader_.join();
}

std::vector<std::string> ServerProcess::StderrLines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

std::string ServerProcess::StderrTail(std::size_t count) const {
  std::lock_guard lock(mutex_);
  std::string out;
  std::size_t first = lines_.size() > count ? lines_.size() - count : 0;
  for (std::size_t i = first; i < lines_.size(); ++i) out += "  | " + lines_[i] + "\n";
  return out;
}

}  // namespace ticketd::integration

// ServerProcess: runs the real `ticketd` binary for end-to-end tests.
//
// Start() makes a fresh data dir (mkdtemp), spawns
//   ticketd --data-dir DIR --listen 127.0.0.1:0 --admin-token TOKEN --kafka off
// with stderr captured through a pipe by a reader thread, then waits (30 s
// deadline) for the "listening on http://127.0.0.1:PORT" line and for
// GET /healthz to answer 200. Stop() sends SIGTERM and expects exit status 0;
// Kill9() simulates a crash; Restart() starts again on the same data dir (the
// port changes). The destructor kills a still-running server and removes the
// data dir.
//
// Thread-safety: one thread drives the lifecycle; StderrLines() and
// StderrTail() may be called from any thread.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ticketd::integration {

class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string admin_token);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Creates a fresh data dir and starts the server in it.
  ::testing::AssertionResult Start();
  // SIGTERM, wait for the exit; success only if the exit status is 0.
  ::testing::AssertionResult Stop();
  // SIGKILL and reap: a crash with no chance to flush anything.
  void Kill9();
  // Starts the server again on the data dir of the previous Start().
  ::testing::AssertionResult Restart();

  // Extra command-line arguments for the next Start()/Restart().
  void set_extra_args(std::vector<std::string> args) { extra_args_ = std::move(args); }
  // Extra environment ("NAME=value") for the next Start()/Restart(), on top
  // of the test's own (failpoints: ticketd/eventstore/failpoint.h).
  void set_extra_env(std::vector<std::string> env) { extra_env_ = std::move(env); }
  // RLIMIT_FSIZE for the next Start()/Restart() (0: none), with SIGXFSZ
  // ignored in the child, so a file growing past it fails with EFBIG: a full
  // disk without mounting anything.
  void set_file_size_limit(std::uint64_t bytes) { file_size_limit_ = bytes; }

  bool running() const { return pid_ > 0; }
  std::uint16_t port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& admin_token() const { return admin_token_; }

  // Every stderr line of the current (or last) run.
  std::vector<std::string> StderrLines() const;
  // The last `count` stderr lines joined, for failure messages.
  std::string StderrTail(std::size_t count = 20) const;

 private:
  ::testing::AssertionResult Launch();
  // Starts `argv` with stderr on `stderr_fd`; the child's pid or -1 (errno-style code in *error).
  pid_t Spawn(std::vector<char*>& argv, int stderr_fd, int* error) const;
  std::vector<std::string> extra_args_;
  std::vector<std::string> extra_env_;
  std::uint64_t file_size_limit_ = 0;
  void ReadStderr(int fd);
  // Waits until the process exits or the deadline passes; true if reaped.
  bool WaitForExit(int timeout_ms, int* wait_status);
  void JoinReader();

  const std::string binary_;
  const std::string admin_token_;
  std::string data_dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;  // guarded by mutex_
  bool stderr_closed_ = false;      // guarded by mutex_
  std::thread reader_;
};

}  // namespace ticketd::integration

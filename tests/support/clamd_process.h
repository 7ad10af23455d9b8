// A real ClamAV clamd for tests: its own config file (Foreground, a
// LocalSocket in a temp dir) and a signature database holding one .ndb
// signature that matches a marker string, since no signature download is
// possible here. Start() waits (with a deadline) until the socket accepts;
// the destructor stops it (SIGTERM, then SIGKILL). One thread drives it.
#pragma once

#include <sys/types.h>

#include <string>

#include "temp_dir.h"

namespace ticketd::test_support {

class ClamdProcess {
 public:
  // The signature's name as clamd reports it starts with this.
  static constexpr const char* kSignaturePrefix = "Ticketd.Test.Marker";
  explicit ClamdProcess(std::string marker);
  ~ClamdProcess();
  ClamdProcess(const ClamdProcess&) = delete;
  ClamdProcess& operator=(const ClamdProcess&) = delete;

  // "" on success, else what went wrong (with clamd's log tail).
  std::string Start();
  void Stop();
  const std::string& socket_path() const { return socket_path_; }

 private:
  std::string marker_;
  TempDir dir_{"clamd"};
  std::string socket_path_;
  pid_t pid_ = -1;
};

}  // namespace ticketd::test_support

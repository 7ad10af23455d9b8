// RocksDB's diagnostics for every RocksDB that ticketd opens.
#pragma once

#include <rocksdb/env.h>

#include <cstdarg>
#include <cstdio>

namespace ticketd::eventstore {

// RocksDB's own diagnostics go to stderr (warnings and errors only), not to
// a LOG file in the data dir: on a full disk that file fails too, and the
// Debian build of RocksDB aborts on the next line logged to a file writer
// that has failed once. stderr is where ticketd's own messages are anyway.
class StderrLogger final : public rocksdb::Logger {
 public:
  StderrLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    std::fprintf(stderr, "ticketd: rocksdb: %s\n", line);
  }
};

}  // namespace ticketd::eventstore

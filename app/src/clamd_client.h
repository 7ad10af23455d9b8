// A client for ClamAV's clamd INSTREAM command over its Unix socket: the
// bytes are sent in chunks, clamd answers "stream: OK" or
// "stream: <signature> FOUND". Blocking I/O with a deadline per call: run it
// on a worker thread. Thread-safe (one connection per scan).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/base/result.h"
#include "ticketd/base/status.h"

namespace ticketd::app {

struct ScanVerdict {
  std::optional<std::string> signature;  // set: malware found
};

// Unavailable when clamd cannot be reached or fails (its answer says ERROR,
// e.g. the stream is over its StreamMaxLength), so the caller answers 503.
Result<ScanVerdict, Status> ClamdScan(const std::string& socket_path, std::string_view bytes,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

// The same scan, fed as the bytes arrive (a streamed upload): one INSTREAM
// connection, opened on construction. Send after a failure does nothing;
// Finish then answers Unavailable.
class ClamdStream {
 public:
  explicit ClamdStream(const std::string& socket_path, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~ClamdStream();
  ClamdStream(const ClamdStream&) = delete;
  ClamdStream& operator=(const ClamdStream&) = delete;

  void Send(std::string_view bytes);
  Result<ScanVerdict, Status> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::app

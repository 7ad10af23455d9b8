// A streaming multipart/form-data parser (RFC 7578 over RFC 2046): bytes are
// fed in chunks of any size as they arrive from the socket, and each part's
// data goes to a sink at once, so a 25 MiB upload is never held whole. The
// parser keeps at most one part header block (kMaxHeaderBytes) and the tail
// of one delimiter in memory. No library in Debian fits (Beast parses only
// HTTP; gmime would buffer whole MIME trees), so it is small and fuzzed
// (tests/fuzz/fuzz_multipart.cc).
// Thread-safety: one parser per request, used by one thread at a time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/base/status.h"

namespace ticketd::api {

// What a part's headers say (Content-Disposition and Content-Type).
struct PartHeaders {
  std::string name;                     // the form field name
  std::optional<std::string> filename;  // filename*= (RFC 5987, decoded) wins over filename=
  std::string content_type;             // as sent; never trusted for files
};

// Receives the parts in order. A non-OK Status stops the parse and is
// returned by Feed()/Finish() unchanged (the sink's own refusal).
class PartSink {
 public:
  virtual ~PartSink() = default;
  virtual Status OnPartBegin(const PartHeaders& headers) = 0;
  virtual Status OnPartData(std::string_view bytes) = 0;
  virtual Status OnPartEnd() = 0;
};

// The boundary parameter of a multipart/form-data Content-Type, or nullopt
// when the type is something else or the boundary is missing or invalid
// (RFC 2046: 1-70 characters).
std::optional<std::string> MultipartBoundary(std::string_view content_type);

class MultipartParser {
 public:
  static constexpr std::size_t kMaxHeaderBytes = 8 * 1024;  // one part's header block
  static constexpr std::size_t kMaxParts = 64;              // text fields and files together

  MultipartParser(std::string_view boundary, PartSink& sink);
  MultipartParser(const MultipartParser&) = delete;
  MultipartParser& operator=(const MultipartParser&) = delete;

  // Consumes `chunk`. InvalidArgument for a malformed body (the message says
  // what); the sink's Status when it refused. After an error, further calls
  // return the same error.
  Status Feed(std::string_view chunk);
  // The body ended: InvalidArgument unless the closing delimiter was seen.
  Status Finish();
  bool done() const { return state_ == State::kEpilogue; }

 private:
  enum class State { kPreamble, kAfterDelimiter, kHeaders, kData, kEpilogue, kFailed };
  Status Step(bool* progressed);
  Status ParseHeaders(std::string_view block);
  Status Fail(Status status);

  std::string delimiter_;  // CRLF "--" boundary
  PartSink& sink_;
  State state_ = State::kPreamble;
  std::string pending_;      // bytes not yet consumed
  std::size_t parts_ = 0;
  Status error_;
};

}  // namespace ticketd::api

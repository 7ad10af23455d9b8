// Status: the infrastructure error model shared by eventstore, projections,
// api and replay (LevelDB's status.h). Library errors (rocksdb::Status, Kafka
// error codes, beast::error_code) are translated into it at the module edge.
// Domain rule violations are DomainError (errors.h), never a Status.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace ticketd {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kConflict,         // optimistic concurrency: expected version mismatch
    kCorruption,       // checksum, chain or decoding failure in stored data
    kIOError,          // the disk said no (full, read-only, EIO)
    kUnavailable,      // temporarily cannot serve: shutting down, broker down
    kInvalidArgument,  // the caller passed something malformed
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string_view msg) { return {Code::kNotFound, msg}; }
  static Status Conflict(std::string_view msg) { return {Code::kConflict, msg}; }
  static Status Corruption(std::string_view msg) { return {Code::kCorruption, msg}; }
  static Status IOError(std::string_view msg) { return {Code::kIOError, msg}; }
  static Status Unavailable(std::string_view msg) { return {Code::kUnavailable, msg}; }
  static Status InvalidArgument(std::string_view msg) { return {Code::kInvalidArgument, msg}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsConflict() const { return code_ == Code::kConflict; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  const std::string& message() const { return message_; }

  std::string ToString() const {
    static constexpr const char* kNames[] = {"OK",         "NotFound",    "Conflict",       "Corruption",
                                             "IO error",   "Unavailable", "Invalid argument"};
    std::string out = kNames[static_cast<int>(code_)];
    if (!message_.empty()) out += ": " + message_;
    return out;
  }

 private:
  Status(Code code, std::string_view msg) : code_(code), message_(msg) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace ticketd

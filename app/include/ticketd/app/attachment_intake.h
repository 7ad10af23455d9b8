// Attachment intake: the one policy every adapter applies to files before
// they are stored (HTTP multipart uploads, inbound mail). It normalises the
// filename, counts files, bounds sizes, sniffs the type from the bytes with
// libmagic (never from a name or a declared Content-Type) and, when a clamd
// socket is configured, has clamd scan the bytes (INSTREAM).
//
// All-or-nothing per request: uploads apply it as the bytes stream in
// (app::StreamedFiles, attachment_stream.h: the first refusal of the whole
// request, in the contract's order: count, then per file in order name,
// size, type, malware); inbound mail checks each whole file with CheckFile.
//
// Thread-safety: AttachmentPolicy is immutable and may be shared by threads.
// Sniffing uses one libmagic handle per thread (a handle is not thread-safe).
// Checking is slow (clamd I/O): call it from a worker thread, never from the
// engine's writer thread or an HTTP I/O thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/base/result.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::app {

struct AttachmentLimits {
  std::size_t max_files = 5;                   // per request or mail
  std::size_t max_file_bytes = 5 * 1024 * 1024;  // 5 MiB per file
  std::size_t max_filename_bytes = 255;          // after any path is stripped
};

// Why a request's files were refused; `filename` is the offending file's
// (normalised when possible, else as sent), `detail` the sniffed type, the
// malware signature or a sentence for a person.
struct AttachmentRefusal {
  enum class Kind {
    kTooManyFiles,        // 400 TOO_MANY_FILES
    kInvalidFilename,     // 400 VALIDATION_ERROR naming filename
    kFileTooLarge,        // 413 FILE_TOO_LARGE {filename, limit}
    kUnsupportedType,     // 415 UNSUPPORTED_MEDIA_TYPE {filename, detected}
    kMalware,             // 422 MALWARE_DETECTED {filename, signature}
    kScannerUnavailable,  // 503: clamd configured but unreachable
  };
  Kind kind = Kind::kInvalidFilename;
  std::string filename;
  std::string detail;
};

// A file as an adapter received it.
struct IncomingFile {
  std::string filename;  // as sent (may hold a path, RFC 5987 already decoded)
  std::string bytes;
};

// A file that passed the policy, ready to be stored.
struct CheckedFile {
  std::string filename;      // normalised: no path, valid UTF-8, <= 255 bytes
  std::string content_type;  // sniffed, one of the allowed types
  std::string sha256_hex;    // of the bytes: the content address
  std::string bytes;
};

// The allowed types (sniffed): image/png, image/jpeg, image/gif, image/webp,
// image/heic, application/pdf.
bool IsAllowedAttachmentType(std::string_view mime_type);

// The filename rules: any path stripped (`/` and `\`), then 1-255 bytes of
// valid UTF-8 without control or bidirectional-override characters, not "."
// or "..". Returns the normalised name, or a kInvalidFilename refusal.
Result<std::string, AttachmentRefusal> NormalizeAttachmentFilename(std::string_view raw,
                                                                   const AttachmentLimits& limits = {});

// The sniffed MIME type of `bytes` (libmagic over the first 64 KiB, then a
// check that an allowed type's signature really starts the file, so an HTML
// page with "%PDF" inside is not a PDF).
std::string SniffMimeType(std::string_view bytes);

class AttachmentPolicy {
 public:
  // `clamd_socket` empty: no malware scan.
  explicit AttachmentPolicy(AttachmentLimits limits = {}, std::string clamd_socket = {});

  const AttachmentLimits& limits() const { return limits_; }
  bool scans() const { return !clamd_socket_.empty(); }
  const std::string& clamd_socket() const { return clamd_socket_; }

  // Every rule but the count, for one file (its bytes complete).
  Result<CheckedFile, AttachmentRefusal> CheckFile(IncomingFile file) const;

 private:
  AttachmentLimits limits_;
  std::string clamd_socket_;
};

// The checked files as a command's attachments (new ids; the bytes are moved).
// Submit them with Engine::Submit as domain::AttachFiles{header, comment_id,
// internal, files}, or in CreateTicket::attachments / AddComment::attachments
// (one atomic commit with the ticket or comment).
std::vector<domain::NewAttachment> ToNewAttachments(std::vector<CheckedFile> files);

}  // namespace ticketd::app

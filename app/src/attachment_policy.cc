#include "clamd_client.h"
#include "ticketd/app/attachment_intake.h"
#include "ticketd/app/ids.h"
#include "ticketd/base/sha256.h"

namespace ticketd::app {

AttachmentPolicy::AttachmentPolicy(AttachmentLimits limits, std::string clamd_socket)
    : limits_(limits), clamd_socket_(std::move(clamd_socket)) {}

Result<CheckedFile, AttachmentRefusal> AttachmentPolicy::CheckFile(IncomingFile file) const {
  using Kind = AttachmentRefusal::Kind;
  auto name = NormalizeAttachmentFilename(file.filename, limits_);
  if (!name) return Err{name.error()};
  if (file.bytes.size() > limits_.max_file_bytes) {
    return Err{AttachmentRefusal{Kind::kFileTooLarge, name.value(), std::to_string(limits_.max_file_bytes)}};
  }
  std::string type = SniffMimeType(file.bytes);
  if (!IsAllowedAttachmentType(type)) return Err{AttachmentRefusal{Kind::kUnsupportedType, name.value(), type}};
  if (scans()) {
    auto verdict = ClamdScan(clamd_socket_, file.bytes);
    if (!verdict) return Err{AttachmentRefusal{Kind::kScannerUnavailable, name.value(), verdict.error().message()}};
    if (verdict->signature) return Err{AttachmentRefusal{Kind::kMalware, name.value(), *verdict->signature}};
  }
  CheckedFile checked;
  checked.filename = std::move(name.value());
  checked.content_type = std::move(type);
  checked.sha256_hex = Sha256Hex(file.bytes);
  checked.bytes = std::move(file.bytes);
  return checked;
}

std::vector<domain::NewAttachment> ToNewAttachments(std::vector<CheckedFile> files) {
  std::vector<domain::NewAttachment> out;
  out.reserve(files.size());
  for (CheckedFile& file : files) {
    out.push_back({RandomId(), std::move(file.filename), std::move(file.content_type), std::move(file.sha256_hex),
                   static_cast<std::int64_t>(file.bytes.size()),
                   std::make_shared<const std::string>(std::move(file.bytes))});
  }
  return out;
}

}  // namespace ticketd::app

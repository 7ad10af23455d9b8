#include "ticketd/app/attachment_stream.h"

#include <openssl/evp.h>

#include "clamd_client.h"
#include "ticketd/app/ids.h"

namespace ticketd::app {
namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;  // what SniffMimeType reads

std::string Hex(const unsigned char* bytes, unsigned size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

struct DigestDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

}  // namespace

struct StreamedFiles::File {
  std::string raw_name;
  std::optional<std::string> name;  // normalised, once checked
  std::size_t size = 0;
  std::string prefix;  // the first kSniffBytes
  std::unique_ptr<EVP_MD_CTX, DigestDeleter> digest;
  std::unique_ptr<ClamdStream> scan;
  std::unique_ptr<eventstore::BlobStaging> staging;
};

StreamedFiles::StreamedFiles(const AttachmentPolicy& policy, eventstore::EventLog& log,
                             std::optional<domain::Id> tenant_id)
    : policy_(policy), log_(log), tenant_id_(std::move(tenant_id)) {}

StreamedFiles::~StreamedFiles() {
  file_.reset();  // an unfinished staging drops its own chunks
  DropStagedFiles(log_, done_);
}

void StreamedFiles::Refuse(AttachmentRefusal refusal) {
  if (!refusal_) refusal_ = std::move(refusal);
  file_.reset();  // nothing will be stored: stop staging
  sealed_.clear();  // their files were never ingested
  DropStagedFiles(log_, done_);
  done_.clear();
}

std::optional<AttachmentRefusal> StreamedFiles::Begin(std::string_view raw_filename) {
  using Kind = AttachmentRefusal::Kind;
  if (++files_seen_ > policy_.limits().max_files) {
    return AttachmentRefusal{Kind::kTooManyFiles, {},
                             "at most " + std::to_string(policy_.limits().max_files) + " files per request"};
  }
  file_ = std::make_unique<File>();
  file_->raw_name = std::string(raw_filename);
  if (refusal_ || raw_filename.empty()) return std::nullopt;  // an empty name may be a browser's empty input
  auto name = NormalizeAttachmentFilename(raw_filename, policy_.limits());
  if (!name) {
    Refuse(name.error());
    file_ = std::make_unique<File>();
    file_->raw_name = std::string(raw_filename);
    return std::nullopt;
  }
  file_->name = std::move(name.value());
  return std::nullopt;
}

std::optional<AttachmentRefusal> StreamedFiles::Data(std::string_view bytes) {
  using Kind = AttachmentRefusal::Kind;
  if (!file_ || bytes.empty()) return std::nullopt;
  File& file = *file_;
  if (file.size + bytes.size() > policy_.limits().max_file_bytes) {
    auto name = NormalizeAttachmentFilename(file.raw_name, policy_.limits());
    return AttachmentRefusal{Kind::kFileTooLarge, name ? name.value() : file.raw_name, ""};
  }
  file.size += bytes.size();
  if (refusal_ || !storage_.ok()) return std::nullopt;  // only sizes count now
  if (!file.name) {  // the empty name has bytes after all: a bad name
    auto name = NormalizeAttachmentFilename(file.raw_name, policy_.limits());
    if (!name) {
      Refuse(name.error());
      return std::nullopt;
    }
    file.name = std::move(name.value());
  }
  if (!file.digest) {
    file.digest.reset(EVP_MD_CTX_new());
    if (!file.digest || EVP_DigestInit_ex(file.digest.get(), EVP_sha256(), nullptr) != 1) {
      storage_ = Status::IOError("SHA-256 is unavailable (OpenSSL)");
      return std::nullopt;
    }
    if (policy_.scans()) file.scan = std::make_unique<ClamdStream>(policy_.clamd_socket());
    if (Status s = log_.StageBlob(&file.staging); !s.ok()) {
      storage_ = s;
      return std::nullopt;
    }
  }
  if (file.prefix.size() < kSniffBytes) file.prefix.append(bytes.substr(0, kSniffBytes - file.prefix.size()));
  (void)EVP_DigestUpdate(file.digest.get(), bytes.data(), bytes.size());
  if (file.scan) file.scan->Send(bytes);
  if (Status s = file.staging->Append(bytes); !s.ok()) storage_ = s;
  return std::nullopt;
}

void StreamedFiles::End() {
  using Kind = AttachmentRefusal::Kind;
  std::unique_ptr<File> file = std::move(file_);
  if (!file || refusal_ || !storage_.ok()) return;
  if (file->raw_name.empty() && file->size == 0) {  // a browser's empty file input
    --files_seen_;
    return;
  }
  if (!file->name) {
    auto name = NormalizeAttachmentFilename(file->raw_name, policy_.limits());
    if (!name) return Refuse(name.error());
    file->name = std::move(name.value());
  }
  std::string type = SniffMimeType(file->prefix);
  if (!IsAllowedAttachmentType(type)) return Refuse({Kind::kUnsupportedType, *file->name, type});
  if (file->scan) {
    auto verdict = file->scan->Finish();
    if (!verdict) return Refuse({Kind::kScannerUnavailable, *file->name, verdict.error().message()});
    if (verdict->signature) return Refuse({Kind::kMalware, *file->name, *verdict->signature});
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned digest_size = 0;
  if (!file->digest || EVP_DigestFinal_ex(file->digest.get(), digest, &digest_size) != 1) {
    storage_ = Status::IOError("SHA-256 failed (OpenSSL)");
    return;
  }
  domain::NewAttachment attachment;
  attachment.attachment_id = RandomId();
  attachment.filename = std::move(*file->name);
  attachment.content_type = std::move(type);
  attachment.sha256 = Hex(digest, digest_size);
  attachment.size = static_cast<std::int64_t>(file->size);
  if (AlreadyStored(attachment.sha256)) {
    // No sync, no ingestion (which holds the database's writes while it
    // edits the MANIFEST), no chunks for the commit to delete again: the
    // unsynced staging file is simply removed.
    file->staging.reset();
  } else {
    // Synced now, ingested with the request's other files in Take().
    if (Status s = file->staging->Seal(); !s.ok()) {
      storage_ = s;
      return;
    }
    sealed_.push_back(Sealed{done_.size(), std::move(file->staging)});
  }
  done_.push_back(std::move(attachment));
}

Status StreamedFiles::IngestSealed() {
  if (sealed_.empty()) return Status::Ok();
  std::vector<eventstore::BlobStaging*> stagings;
  for (const Sealed& sealed : sealed_) stagings.push_back(sealed.staging.get());
  std::vector<eventstore::StagedBlob> staged;
  Status s = eventstore::FinishStagings(stagings, &staged);
  if (s.ok()) {
    for (std::size_t i = 0; i < sealed_.size(); ++i) done_[sealed_[i].file].staged = staged[i].Encode();
  }
  sealed_.clear();  // ingested, or (on an error) their files are removed
  return s;
}

bool StreamedFiles::AlreadyStored(const std::string& sha256) const {
  bool stored = false;
  return tenant_id_ && log_.BlobStored(*tenant_id_, sha256, &stored).ok() && stored;
}

Result<std::vector<domain::NewAttachment>, AttachmentRefusal> StreamedFiles::Take() {
  if (refusal_) return Err{*refusal_};
  if (storage_.ok()) storage_ = IngestSealed();
  if (!storage_.ok()) return std::vector<domain::NewAttachment>();
  std::vector<domain::NewAttachment> files = std::move(done_);
  done_.clear();
  return files;
}

void DropStagedFiles(eventstore::EventLog& log, const std::vector<domain::NewAttachment>& files) {
  for (const domain::NewAttachment& file : files) {
    if (file.staged.empty()) continue;
    if (auto staged = eventstore::StagedBlob::Decode(file.staged)) (void)log.DropStaged(staged->id);
  }
}

}  // namespace ticketd::app

// StreamedFiles: the attachment policy (attachment_intake.h) for files whose
// bytes arrive in pieces (a streamed multipart upload). Nothing holds a whole
// file: each piece is hashed (SHA-256), the first 64 KiB are kept for
// sniffing, clamd scans the bytes as they come (with --clamd), and they are
// staged, sealed, in the event log (eventstore/blob_staging.h), whose commit
// of the attachment.added events then adopts them.
//
// Refusals keep the buffered policy's order: too many files and a file over
// the size limit stop the request at once (Begin/Data return them); a bad
// name, a type not allowed or malware are recorded per file, the first one
// wins (Take), and nothing is staged after it. Staged bytes nobody takes are
// dropped by the destructor; taken ones belong to the caller (a failed
// command drops them with DropStagedFiles).
//
// Threading: one per request, used by one worker thread at a time (never an
// HTTP thread or the engine's writer: hashing, sealing and clamd are work).
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ticketd/app/attachment_intake.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::app {

class StreamedFiles {
 public:
  // With `tenant_id`, a file whose bytes the tenant has stored already is
  // not ingested: its staging file is deleted unsynced and its commit only
  // adds a reference (EventLog::BlobStored).
  StreamedFiles(const AttachmentPolicy& policy, eventstore::EventLog& log,
                std::optional<domain::Id> tenant_id = std::nullopt);
  ~StreamedFiles();
  StreamedFiles(const StreamedFiles&) = delete;
  StreamedFiles& operator=(const StreamedFiles&) = delete;

  // A file part begins (its filename as sent): TOO_MANY_FILES stops here.
  std::optional<AttachmentRefusal> Begin(std::string_view raw_filename);
  // The next bytes of that file: FILE_TOO_LARGE stops here.
  std::optional<AttachmentRefusal> Data(std::string_view bytes);
  // The file is complete: its type and scan are checked.
  void End();

  // Not OK when staging failed (RocksDB, OpenSSL): the request fails with it.
  const Status& storage_status() const { return storage_; }
  // Every file's attachment (bytes staged), or the first recorded refusal.
  // The files' bytes are ingested here, all in one step
  // (eventstore::FinishStagings); if that fails storage_status() says so
  // and the list is empty.
  Result<std::vector<domain::NewAttachment>, AttachmentRefusal> Take();

 private:
  struct File;
  void Refuse(AttachmentRefusal refusal);
  bool AlreadyStored(const std::string& sha256) const;

  const AttachmentPolicy& policy_;
  eventstore::EventLog& log_;
  std::optional<domain::Id> tenant_id_;
  // A file's sealed staging file, ingested in Take: done_[file]'s bytes.
  struct Sealed {
    std::size_t file;
    std::unique_ptr<eventstore::BlobStaging> staging;
  };
  Status IngestSealed();

  std::vector<domain::NewAttachment> done_;  // checked files, bytes staged
  std::vector<Sealed> sealed_;               // not ingested yet
  std::unique_ptr<File> file_;              // the file being received
  std::size_t files_seen_ = 0;
  std::optional<AttachmentRefusal> refusal_;
  Status storage_;
};

// Deletes the staged bytes of attachments whose command failed.
void DropStagedFiles(eventstore::EventLog& log, const std::vector<domain::NewAttachment>& files);

}  // namespace ticketd::app

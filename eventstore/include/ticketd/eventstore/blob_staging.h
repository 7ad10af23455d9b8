// Staged attachment bytes (issue 13). An upload's file is written, in sealed
// chunks while it arrives, into an SST file of its own on a worker thread
// (never the engine's writer), so no request holds a whole file
// (ATTACHMENTS.md: uploads are streamed). Finish() syncs that file, writes
// the staging's pending marker and ingests the file into the log's `blobs`
// family (RocksDB IngestExternalFile): the bytes are written once, never
// through the WAL or a memtable, so they neither lengthen the fsync of the
// writer's group commits nor stall its writes. The commit that appends the
// file's attachment.added event then adopts the chunks in its one atomic
// write (BlobToStore::staged): their data key joins the key vault under the
// blob's key id and a pointer record makes them the blob's bytes. Chunks
// nobody adopted are orphans: an abandoned upload drops its own
// (EventLog::DropStaged, or the BlobStaging destructor before Finish, which
// deletes the unfinished file), a commit that finds the bytes already stored
// drops them in its write, and the log deletes any a crash left behind when
// it opens (staging files not ingested yet; ingested chunks whose pending
// marker no adoption deleted).
//
// Threading: one BlobStaging per file, used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/base/status.h"

namespace ticketd::eventstore {

// What a finished staging hands to the commit (travels opaquely through the
// domain's command as Encode()'s string).
struct StagedBlob {
  std::string id;        // 16 random bytes: the chunks' names
  std::string key;       // the chunks' AES-256 data key (32 bytes); empty when the log does not seal
  std::int64_t size = 0;  // bytes
  std::uint32_t chunks = 0;

  std::string Encode() const;
  static std::optional<StagedBlob> Decode(std::string_view text);
};

class BlobStaging {
 public:
  static constexpr std::size_t kChunkBytes = 256 * 1024;

  virtual ~BlobStaging() = default;
  // Buffers `bytes`; each full chunk is sealed and appended to the staging
  // file. IOError if RocksDB or OpenSSL fail.
  virtual Status Append(std::string_view bytes) = 0;
  // Writes the last chunk and syncs the file; nothing is in the log yet
  // (FinishStagings ingests it). Once sealed, Append must not be called.
  virtual Status Seal() = 0;
  // Seals the file (unless sealed already) and ingests it: durable when this
  // returns OK. Describes the staged file. Once finished, the chunks are the
  // caller's to hand to a commit or to DropStaged. FinishStagings({this}).
  virtual Status Finish(StagedBlob* staged) = 0;
};

// Finishes one request's files together: each is sealed (unless it is
// already), their pending markers go in one write, and the files are
// ingested by one IngestExternalFile call, which RocksDB applies atomically:
// one MANIFEST write and sync, holding the database's writes once, instead
// of once per file. All or nothing: on an error none of them is in the log.
// `stagings` come from the same log; (*staged)[i] describes stagings[i].
Status FinishStagings(const std::vector<BlobStaging*>& stagings, std::vector<StagedBlob>* staged);

}  // namespace ticketd::eventstore

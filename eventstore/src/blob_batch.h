// What one WriteBatch changed in the `blobs` family (attachments, issue 13),
// so later commits of the same batch see it before RocksDB does.
//
// Keys of the `blobs` family (persistent format: never change or reuse a tag):
//   'D' tenant(16) sha256-hex(64)            -> 'S' nonce(12) ciphertext+tag (AES-256-GCM
//                                               under the blob's data key, AAD = key id)
//                                             | 'P' the bytes (a log without a master key)
//                                             | 'C' staging id(16) BE32(chunks): the bytes are
//                                               the staged chunks below (streamed uploads)
//   'M' tenant(16) sha256-hex(64)            -> BE64(size): the bytes are stored
//   'R' tenant(16) sha256-hex(64) ticket(16) -> "": the ticket references them
//   'T' tenant(16) ticket(16) sha256-hex(64) -> "": the same, by ticket
//   'C' staging id(16) BE32(chunk)           -> 'S' nonce(12) ciphertext+tag (AES-256-GCM under
//                                               the staging's key, AAD = StagedChunkAad) | 'P' bytes
//   'Q' staging id(16)                       -> "": staged, not adopted yet (orphans are
//                                               deleted when the log opens)
// Data key id in the key vault: "blob:<tenant uuid>:<sha256 hex>".
// Writer thread only.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "ticketd/domain/id.h"

namespace ticketd::eventstore {

inline constexpr std::size_t kSha256HexSize = 64;

inline std::string BlobKey(char tag, const domain::Id& tenant_id, std::string_view sha256) {
  std::string key(1, tag);
  key.append(tenant_id.AsBytes());
  key.append(sha256);
  return key;
}
inline std::string BlobRefKey(const domain::Id& tenant_id, std::string_view sha256, const domain::Id& ticket_id) {
  return BlobKey('R', tenant_id, sha256) + std::string(ticket_id.AsBytes());
}
inline std::string TicketBlobPrefix(const domain::Id& tenant_id, const domain::Id& ticket_id) {
  std::string key(1, 'T');
  key.append(tenant_id.AsBytes());
  key.append(ticket_id.AsBytes());
  return key;
}
inline std::string BlobKeyId(const domain::Id& tenant_id, std::string_view sha256) {
  return "blob:" + tenant_id.ToString() + ":" + std::string(sha256);
}

inline std::string StagedChunkPrefix(std::string_view staging_id) { return "C" + std::string(staging_id); }
inline std::string StagedChunkKey(std::string_view staging_id, std::uint32_t chunk) {
  std::string key = StagedChunkPrefix(staging_id);
  for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>((chunk >> shift) & 0xff));
  return key;
}
// The end of a staging's chunk range (exclusive), for DeleteRange.
inline std::string StagedChunkLimit(std::string_view staging_id) { return StagedChunkKey(staging_id, 0xffffffffu) + '\xff'; }
inline std::string StagedPendingKey(std::string_view staging_id) { return "Q" + std::string(staging_id); }
inline std::string StagedChunkAad(std::string_view staging_id, std::uint32_t chunk) {
  return "blob-chunk:" + StagedChunkKey(staging_id, chunk).substr(1);
}

struct BlobBatch {
  std::unordered_map<std::string, bool> stored;  // 'M' key -> stored after this batch
  std::unordered_set<std::string> added;         // 'R' and 'T' keys put by this batch
  std::unordered_set<std::string> removed;       // 'R' and 'T' keys deleted by this batch
};

}  // namespace ticketd::eventstore

// What one WriteBatch changed in the `blobs` family (attachments, issue 13),
// so later commits of the same batch see it before RocksDB does.
//
// Keys of the `blobs` family (persistent format: never change or reuse a tag):
//   'D' tenant(16) sha256-hex(64)            -> 'S' nonce(12) ciphertext+tag (AES-256-GCM
//                                               under the blob's data key, AAD = key id)
//                                             | 'P' the bytes (a log without a master key)
//   'M' tenant(16) sha256-hex(64)            -> BE64(size): the bytes are stored
//   'R' tenant(16) sha256-hex(64) ticket(16) -> "": the ticket references them
//   'T' tenant(16) ticket(16) sha256-hex(64) -> "": the same, by ticket
// Data key id in the key vault: "blob:<tenant uuid>:<sha256 hex>".
// Writer thread only.
#pragma once

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

struct BlobBatch {
  std::unordered_map<std::string, bool> stored;  // 'M' key -> stored after this batch
  std::unordered_set<std::string> added;         // 'R' and 'T' keys put by this batch
  std::unordered_set<std::string> removed;       // 'R' and 'T' keys deleted by this batch
};

}  // namespace ticketd::eventstore

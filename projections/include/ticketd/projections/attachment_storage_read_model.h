// AttachmentStorageReadModel: per tenant, what GET /api/v1/admin/storage
// reports (ATTACHMENTS.md "Storage"): the attachments of living tickets, the
// distinct files (tenant, sha256) they reference and those files' bytes. It
// mirrors the blob store's reference counting (eventstore/src/rocks_blobs.cc):
// a hard delete or an erasure takes the ticket's attachments out, and a file
// no other ticket references leaves the counts with them.
// Threading: OnTicketEvent on the writer thread (in log order); Usage and
// EncodeCanonical from any thread (one mutex).
#pragma once

#include <cstdint>
#include <memory>

#include "ticketd/domain/id.h"
#include "ticketd/projections/binary_codec.h"
#include "ticketd/projections/projector.h"

namespace ticketd::projections {

struct StorageUsage {
  std::int64_t attachments = 0;  // attachment.added events of living, unerased tickets
  std::int64_t blobs = 0;        // distinct files they reference
  std::int64_t blob_bytes = 0;   // the sum of those files' sizes
};

class AttachmentStorageReadModel final : public TicketProjector {
 public:
  AttachmentStorageReadModel();
  ~AttachmentStorageReadModel() override;

  void OnTicketEvent(const domain::DomainEvent& event, const TicketPtr& before, const TicketPtr& after) override;

  StorageUsage Usage(const domain::Id& tenant_id) const;

  // Canonical serialization, also the snapshot section; DecodeSnapshot loads
  // one into an empty model and returns false if the bytes do not parse.
  void EncodeCanonical(BinaryWriter& out) const;
  [[nodiscard]] bool DecodeSnapshot(BinaryReader& in);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::projections

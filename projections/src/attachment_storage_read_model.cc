#include "ticketd/projections/attachment_storage_read_model.h"

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace ticketd::projections {

namespace {

struct Blob {
  std::int64_t size = 0;
  std::int64_t tickets = 0;  // living tickets that reference it
};

// One ticket's files: sha256 -> how many of its attachments hold those bytes.
using TicketFiles = std::map<std::string, std::int64_t>;

struct Tenant {
  StorageUsage usage;
  std::map<std::string, Blob> blobs;        // by sha256
  std::map<domain::Id, TicketFiles> tickets;  // only tickets with attachments
};

}  // namespace

struct AttachmentStorageReadModel::Impl {
  mutable std::mutex mu;
  std::map<domain::Id, Tenant> tenants;

  void Add(Tenant& tenant, const domain::Id& ticket, const domain::AttachmentAdded& added) {
    std::int64_t& copies = tenant.tickets[ticket][added.sha256];
    tenant.usage.attachments += 1;
    if (copies++ > 0) return;  // the ticket already references these bytes
    Blob& blob = tenant.blobs[added.sha256];
    if (blob.tickets++ == 0) {
      blob.size = added.size;
      tenant.usage.blobs += 1;
      tenant.usage.blob_bytes += added.size;
    }
  }

  void Release(Tenant& tenant, const domain::Id& ticket) {
    auto files = tenant.tickets.find(ticket);
    if (files == tenant.tickets.end()) return;
    for (const auto& [sha, copies] : files->second) {
      tenant.usage.attachments -= copies;
      auto blob = tenant.blobs.find(sha);
      if (blob == tenant.blobs.end() || --blob->second.tickets > 0) continue;
      tenant.usage.blobs -= 1;
      tenant.usage.blob_bytes -= blob->second.size;
      tenant.blobs.erase(blob);
    }
    tenant.tickets.erase(files);
  }
};

AttachmentStorageReadModel::AttachmentStorageReadModel() : impl_(std::make_unique<Impl>()) {}
AttachmentStorageReadModel::~AttachmentStorageReadModel() = default;

void AttachmentStorageReadModel::OnTicketEvent(const domain::DomainEvent& event, const TicketPtr&, const TicketPtr&) {
  const auto* added = std::get_if<domain::AttachmentAdded>(&event.payload);
  const bool released = std::holds_alternative<domain::TicketDeleted>(event.payload) ||
                        std::holds_alternative<domain::TicketErased>(event.payload);
  if (!added && !released) return;
  std::lock_guard lock(impl_->mu);
  Tenant& tenant = impl_->tenants[event.tenant_id];
  if (added) {
    impl_->Add(tenant, event.stream_id, *added);
  } else {
    impl_->Release(tenant, event.stream_id);
  }
}

StorageUsage AttachmentStorageReadModel::Usage(const domain::Id& tenant_id) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->tenants.find(tenant_id);
  return it == impl_->tenants.end() ? StorageUsage{} : it->second.usage;
}

// Per tenant: its tickets' files; the blobs and totals follow from them.
void AttachmentStorageReadModel::EncodeCanonical(BinaryWriter& out) const {
  std::lock_guard lock(impl_->mu);
  out.U64(impl_->tenants.size());
  for (const auto& [tenant_id, tenant] : impl_->tenants) {
    out.Id(tenant_id);
    out.U64(tenant.blobs.size());
    for (const auto& [sha, blob] : tenant.blobs) {
      out.Bytes(sha);
      out.I64(blob.size);
    }
    out.U64(tenant.tickets.size());
    for (const auto& [ticket_id, files] : tenant.tickets) {
      out.Id(ticket_id);
      out.U64(files.size());
      for (const auto& [sha, copies] : files) {
        out.Bytes(sha);
        out.I64(copies);
      }
    }
  }
}

bool AttachmentStorageReadModel::DecodeSnapshot(BinaryReader& in) {
  std::lock_guard lock(impl_->mu);
  std::size_t tenant_count = 0;
  if (!in.Count(&tenant_count)) return false;
  for (std::size_t t = 0; t < tenant_count; ++t) {
    domain::Id tenant_id;
    std::size_t blob_count = 0;
    if (!in.Id(&tenant_id) || !in.Count(&blob_count)) return false;
    Tenant& tenant = impl_->tenants[tenant_id];
    std::map<std::string, std::int64_t> sizes;
    for (std::size_t b = 0; b < blob_count; ++b) {
      std::string sha;
      std::int64_t size = 0;
      if (!in.Bytes(&sha) || !in.I64(&size)) return false;
      sizes[sha] = size;
    }
    std::size_t ticket_count = 0;
    if (!in.Count(&ticket_count)) return false;
    for (std::size_t k = 0; k < ticket_count; ++k) {
      domain::Id ticket_id;
      std::size_t file_count = 0;
      if (!in.Id(&ticket_id) || !in.Count(&file_count)) return false;
      for (std::size_t f = 0; f < file_count; ++f) {
        domain::AttachmentAdded added;
        std::int64_t copies = 0;
        if (!in.Bytes(&added.sha256) || !in.I64(&copies) || copies < 1) return false;
        auto size = sizes.find(added.sha256);
        if (size == sizes.end()) return false;
        added.size = size->second;
        for (std::int64_t c = 0; c < copies; ++c) impl_->Add(tenant, ticket_id, added);
      }
    }
  }
  return true;
}

}  // namespace ticketd::projections

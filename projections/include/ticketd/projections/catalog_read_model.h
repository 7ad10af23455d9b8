// CatalogReadModel: each tenant's service catalog and reopen policy
// (WORKFLOW.md), for GET /api/v1/groups, the catalog routes' answers and the
// settings. Fed by the writer thread (Apply) after each synced batch; read
// from any thread (one shared_mutex: catalogs are small and rarely written).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "ticketd/domain/catalog.h"
#include "ticketd/domain/events.h"
#include "ticketd/projections/binary_codec.h"

namespace ticketd::projections {

class CatalogReadModel {
 public:
  CatalogReadModel();
  ~CatalogReadModel();
  CatalogReadModel(const CatalogReadModel&) = delete;
  CatalogReadModel& operator=(const CatalogReadModel&) = delete;

  // Writer thread only: folds workflow events; others are ignored.
  void Apply(const domain::DomainEvent& event);
  // A copy of the tenant's catalog (empty for a tenant without one).
  domain::Catalog Get(const domain::Id& tenant_id) const;
  // Tenants that never got a catalog (created before it existed).
  std::vector<domain::Id> UnseededTenants() const;

  // Canonical serialization, also the snapshot body; DecodeSnapshot loads
  // one into an empty model and returns false if the bytes do not parse.
  void EncodeCanonical(BinaryWriter& out) const;
  [[nodiscard]] bool DecodeSnapshot(BinaryReader& in);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::projections

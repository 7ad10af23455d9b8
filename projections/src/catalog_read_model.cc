#include "ticketd/projections/catalog_read_model.h"

#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "ticketd/projections/catalog_codec.h"

namespace ticketd::projections {

struct CatalogReadModel::Impl {
  mutable std::shared_mutex mu;
  std::unordered_map<domain::Id, domain::Catalog, domain::IdHash> catalogs;
};

CatalogReadModel::CatalogReadModel() : impl_(std::make_unique<Impl>()) {}
CatalogReadModel::~CatalogReadModel() = default;

void CatalogReadModel::Apply(const domain::DomainEvent& event) {
  const auto* workflow = std::get_if<domain::WorkflowEvent>(&event.payload);
  const bool tenant_created = std::holds_alternative<domain::TenantCreated>(event.payload);
  if (!workflow && !tenant_created) return;
  std::unique_lock lock(impl_->mu);
  domain::Catalog& catalog = impl_->catalogs[event.tenant_id];  // a new tenant: empty, not seeded
  if (workflow) domain::EvolveCatalog(catalog, *workflow);
}

std::vector<domain::Id> CatalogReadModel::UnseededTenants() const {
  std::shared_lock lock(impl_->mu);
  std::vector<domain::Id> tenants;
  for (const auto& [tenant_id, catalog] : impl_->catalogs)
    if (!catalog.seeded) tenants.push_back(tenant_id);
  return tenants;
}

domain::Catalog CatalogReadModel::Get(const domain::Id& tenant_id) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->catalogs.find(tenant_id);
  return it == impl_->catalogs.end() ? domain::Catalog{} : it->second;
}

void CatalogReadModel::EncodeCanonical(BinaryWriter& out) const {
  std::shared_lock lock(impl_->mu);
  out.U64(impl_->catalogs.size());
  for (const auto* entry : SortedEntries(impl_->catalogs)) {
    out.Id(entry->first);
    EncodeCatalog(out, entry->second);
  }
}

bool CatalogReadModel::DecodeSnapshot(BinaryReader& in) {
  std::unique_lock lock(impl_->mu);
  impl_->catalogs.clear();
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::Id tenant_id;
    domain::Catalog catalog;
    if (!in.Id(&tenant_id) || !DecodeCatalog(in, &catalog)) return false;
    impl_->catalogs[tenant_id] = std::move(catalog);
  }
  return true;
}

}  // namespace ticketd::projections

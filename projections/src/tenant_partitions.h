// TenantPartitions<P>: one P per tenant, each behind its own shared_mutex,
// so readers of a tenant share a lock and never wait on another tenant. The
// tenant map itself is locked exclusively only when a tenant first appears.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "ticketd/domain/id.h"

namespace ticketd::projections {

template <class Partition>
class TenantPartitions {
 public:
  // Runs fn(const Partition&) under the tenant's shared lock. Returns false
  // (without calling fn) if the tenant has no partition yet.
  template <class Fn>
  bool Read(const domain::Id& tenant_id, Fn&& fn) const {
    const Entry* entry = Find(tenant_id);
    if (!entry) return false;
    std::shared_lock lock(entry->mu);
    fn(entry->partition);
    return true;
  }

  // Runs fn(Partition&) under the tenant's exclusive lock, creating it.
  template <class Fn>
  void Write(const domain::Id& tenant_id, Fn&& fn) {
    Entry* entry = FindOrCreate(tenant_id);
    std::unique_lock lock(entry->mu);
    fn(entry->partition);
  }

  // Runs fn(tenant_id, const Partition&) for every tenant in id order, each
  // under its shared lock (canonical serializations and snapshots).
  template <class Fn>
  void ForEachSorted(Fn&& fn) const {
    std::vector<std::pair<domain::Id, const Entry*>> entries;
    {
      std::shared_lock lock(map_mu_);
      entries.reserve(map_.size());
      for (const auto& [id, entry] : map_) entries.emplace_back(id, entry.get());
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [id, entry] : entries) {
      std::shared_lock lock(entry->mu);
      fn(id, entry->partition);
    }
  }

 private:
  struct Entry {
    mutable std::shared_mutex mu;
    Partition partition;
  };

  const Entry* Find(const domain::Id& tenant_id) const {
    std::shared_lock lock(map_mu_);
    auto it = map_.find(tenant_id);
    return it == map_.end() ? nullptr : it->second.get();
  }

  Entry* FindOrCreate(const domain::Id& tenant_id) {
    {
      std::shared_lock lock(map_mu_);
      if (auto it = map_.find(tenant_id); it != map_.end()) return it->second.get();
    }
    std::unique_lock lock(map_mu_);
    auto& slot = map_[tenant_id];
    if (!slot) slot = std::make_unique<Entry>();
    return slot.get();
  }

  mutable std::shared_mutex map_mu_;
  std::unordered_map<domain::Id, std::unique_ptr<Entry>, domain::IdHash> map_;  // entries never move or die
};

}  // namespace ticketd::projections

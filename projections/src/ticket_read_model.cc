// TicketReadModel: one TicketIndex per tenant behind TenantPartitions (a
// shared_mutex per tenant); the query work is in ticket_query.cc, sort
// indexes are built in the background by SortIndexBuilder.
#include "ticketd/projections/ticket_read_model.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <unordered_map>

#include "cursor.h"
#include "sort_index_builder.h"
#include "tenant_partitions.h"
#include "ticket_index.h"
#include "ticket_query.h"

namespace ticketd::projections {

struct TicketReadModel::Impl {
  TenantPartitions<TicketIndex> tenants;
  // Declared after `tenants`: destroyed (its thread stopped) before them.
  SortIndexBuilder builder{[this](const domain::Id& tenant_id, const std::function<void(const TicketIndex&)>& fn) {
    return tenants.Read(tenant_id, fn);
  }};
};

TicketReadModel::TicketReadModel() : impl_(std::make_unique<Impl>()) {}
TicketReadModel::~TicketReadModel() = default;

void TicketReadModel::Upsert(const TicketPtr& after) {
  if (!after) return;
  impl_->tenants.Write(after->tenant_id, [&](TicketIndex& index) { index.Upsert(after); });
}

void TicketReadModel::AddNew(std::vector<TicketPtr> tickets, unsigned threads) {
  std::vector<std::vector<TicketPtr>> by_tenant;
  std::unordered_map<domain::Id, std::size_t, domain::IdHash> tenant_batch;
  for (TicketPtr& ticket : tickets) {
    if (!ticket) continue;
    auto [it, added] = tenant_batch.try_emplace(ticket->tenant_id, by_tenant.size());
    if (added) by_tenant.emplace_back();
    by_tenant[it->second].push_back(std::move(ticket));
  }
  // Biggest tenants first, so the threads finish close together.
  std::sort(by_tenant.begin(), by_tenant.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < by_tenant.size();) {
      const std::vector<TicketPtr>& batch = by_tenant[i];
      impl_->tenants.Write(batch.front()->tenant_id, [&](TicketIndex& index) { index.AddNew(batch); });
    }
  };
  std::vector<std::thread> helpers;
  for (unsigned t = 1; t < std::min<std::size_t>(threads, by_tenant.size()); ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
}

void TicketReadModel::Remove(const domain::Id& tenant_id, const domain::Id& ticket_id) {
  impl_->tenants.Write(tenant_id, [&](TicketIndex& index) { index.Remove(ticket_id); });
}

TicketPtr TicketReadModel::Get(const domain::Id& tenant_id, const domain::Id& ticket_id) const {
  TicketPtr found;
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) { found = index.Get(ticket_id); });
  return found;
}

std::vector<TicketPtr> TicketReadModel::GetMany(const domain::Id& tenant_id,
                                               const std::vector<domain::Id>& ticket_ids) const {
  std::vector<TicketPtr> found(ticket_ids.size());
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) {
    for (std::size_t i = 0; i < ticket_ids.size(); ++i) found[i] = index.Get(ticket_ids[i]);
  });
  return found;
}

TicketPtr TicketReadModel::GetByNumber(const domain::Id& tenant_id, std::int64_t number) const {
  TicketPtr found;
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) { found = index.GetByNumber(number); });
  return found;
}

void TicketReadModel::WaitForSortIndexes() const { impl_->builder.WaitIdle(); }

std::size_t TicketReadModel::TicketCount(const domain::Id& tenant_id) const {
  std::size_t count = 0;
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) { count = index.live_count(); });
  return count;
}

std::vector<TicketPtr> TicketReadModel::CreatedIn(const domain::Id& tenant_id, domain::Timestamp from,
                                                  domain::Timestamp to) const {
  std::vector<TicketPtr> found;
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) {
    for (std::uint32_t slot = 0, end = index.slot_count(); slot < end; ++slot) {
      const domain::Timestamp created = index.sort_row(slot).created_at;
      if (created >= from && created < to && index.ticket(slot)) found.push_back(index.ticket(slot));
    }
  });
  return found;
}

Status TicketReadModel::Query(const domain::Id& tenant_id, const TicketQuery& query, TicketPage* page) const {
  *page = TicketPage{};
  const SortSpec spec = Normalize(query.sort);
  // Decoded before taking the lock: a bad cursor costs no lock time.
  std::optional<CursorKey> after;
  if (!query.cursor.empty()) {
    after = DecodeCursor(query.cursor, spec);
    if (!after) return Status::InvalidArgument("cursor is malformed or belongs to another sort");
  }
  bool wants_sort_index = false;
  impl_->tenants.Read(tenant_id, [&](const TicketIndex& index) {
    wants_sort_index = RunTicketQuery(index, query, spec, after ? &*after : nullptr, page);
  });
  if (wants_sort_index) impl_->builder.Request(tenant_id, spec);
  return Status::Ok();
}

}  // namespace ticketd::projections

namespace ticketd::projections {

void TicketReadModel::EncodeCanonical(BinaryWriter& out) const {
  impl_->tenants.ForEachSorted([&](const domain::Id& tenant_id, const TicketIndex& index) {
    if (index.live_count() == 0) return;
    std::vector<const domain::Ticket*> live;
    live.reserve(index.live_count());
    for (std::uint32_t slot = 0; slot < index.slot_count(); ++slot)
      if (const TicketPtr& ticket = index.ticket(slot)) live.push_back(ticket.get());
    std::sort(live.begin(), live.end(), [](auto* a, auto* b) { return a->id < b->id; });
    out.Id(tenant_id);
    out.U64(live.size());
    for (const domain::Ticket* ticket : live) out.Ticket(*ticket);
  });
}

}  // namespace ticketd::projections

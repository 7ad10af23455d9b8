#include "ticketd/domain/status_facts.h"
#include "ticketd/projections/digest_read_model.h"

#include <array>
#include <limits>
#include <algorithm>
#include <mutex>
#include <set>
#include <tuple>

namespace ticketd::projections {
namespace {

using domain::TicketStatus;

bool InDigest(const TicketPtr& ticket) {
  return ticket && domain::IsActive(ticket->status);
}

// Order inside a priority group: due date (none last), then number.
struct DigestKey {
  domain::Timestamp due;
  std::int64_t number;
  domain::Id id;
  auto operator<=>(const DigestKey&) const = default;
};

DigestKey KeyOf(const domain::Ticket& ticket) {
  return {ticket.due_at.value_or(std::numeric_limits<domain::Timestamp>::max()), ticket.number, ticket.id};
}

// The tenant's active tickets, indexed by Priority's value, each group in key order.
using Groups = std::array<std::vector<std::pair<DigestKey, TicketPtr>>, 4>;

Groups GroupsOf(const TicketReadModel& tickets, const domain::Id& tenant_id) {
  Groups groups;
  for (TicketPtr& ticket : tickets.CreatedIn(tenant_id, std::numeric_limits<domain::Timestamp>::min(),
                                             std::numeric_limits<domain::Timestamp>::max())) {
    if (!InDigest(ticket)) continue;
    DigestKey key = KeyOf(*ticket);
    groups[static_cast<int>(ticket->priority)].emplace_back(key, std::move(ticket));
  }
  for (auto& group : groups)
    std::sort(group.begin(), group.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return groups;
}

}  // namespace

struct DigestReadModel::Impl {
  const TicketReadModel* tickets;
  mutable std::mutex mu;
  std::set<domain::Id> tenants;  // every tenant that had a ticket event (canonical encoding)
};

DigestReadModel::DigestReadModel(const TicketReadModel& tickets) : impl_(std::make_unique<Impl>()) {
  impl_->tickets = &tickets;
}
DigestReadModel::~DigestReadModel() = default;

void DigestReadModel::OnTicketEvent(const domain::DomainEvent& event, const TicketPtr& before,
                                    const TicketPtr& after) {
  if (!InDigest(before) && !InDigest(after)) return;
  std::lock_guard lock(impl_->mu);
  impl_->tenants.insert(event.tenant_id);
}

Digest DigestReadModel::Build(const domain::Id& tenant_id, domain::Timestamp day) const {
  Digest digest;
  digest.day = day;
  const domain::Timestamp cutoff = day + kDigestHourUtc * 3600 * domain::kMicrosPerSecond;
  const Groups groups = GroupsOf(*impl_->tickets, tenant_id);
  for (int p = static_cast<int>(domain::Priority::kUrgent); p >= 0; --p) {
    const auto& group = groups[p];
    if (group.empty()) continue;
    DigestGroup out;
    out.priority = static_cast<domain::Priority>(p);
    out.tickets.reserve(group.size());
    for (const auto& [key, ticket] : group)
      out.tickets.push_back(DigestEntry{ticket, ticket->due_at.has_value() && *ticket->due_at < cutoff});
    digest.groups.push_back(std::move(out));
  }
  digest.skipped = digest.groups.empty();
  return digest;
}

}  // namespace ticketd::projections

namespace ticketd::projections {

void DigestReadModel::EncodeCanonical(BinaryWriter& out) const {
  std::set<domain::Id> tenants;
  {
    std::lock_guard lock(impl_->mu);
    tenants = impl_->tenants;
  }
  for (const domain::Id& tenant_id : tenants) {
    const Groups groups = GroupsOf(*impl_->tickets, tenant_id);
    bool empty = true;
    for (const auto& group : groups) empty = empty && group.empty();
    if (empty) continue;
    out.Id(tenant_id);
    for (const auto& group : groups) {
      out.U64(group.size());
      for (const auto& [key, ticket] : group) {  // already in key order
        out.I64(key.due);
        out.I64(key.number);
        out.Id(key.id);
        out.I64(ticket->version);
      }
    }
  }
}

}  // namespace ticketd::projections

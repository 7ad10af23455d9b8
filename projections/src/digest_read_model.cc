#include "ticketd/domain/status_facts.h"
#include "ticketd/projections/digest_read_model.h"

#include <array>
#include <limits>
#include <map>
#include <tuple>

#include "tenant_partitions.h"

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

struct TenantDigest {
  // Indexed by Priority's value; one ordered group each.
  std::array<std::map<DigestKey, TicketPtr>, 4> groups;
};

}  // namespace

struct DigestReadModel::Impl {
  TenantPartitions<TenantDigest> tenants;
};

DigestReadModel::DigestReadModel() : impl_(std::make_unique<Impl>()) {}
DigestReadModel::~DigestReadModel() = default;

void DigestReadModel::OnTicketEvent(const domain::DomainEvent& event, const TicketPtr& before,
                                    const TicketPtr& after) {
  if (!InDigest(before) && !InDigest(after)) return;
  impl_->tenants.Write(event.tenant_id, [&](TenantDigest& digest) {
    if (InDigest(before)) digest.groups[static_cast<int>(before->priority)].erase(KeyOf(*before));
    if (InDigest(after)) digest.groups[static_cast<int>(after->priority)].emplace(KeyOf(*after), after);
  });
}

Digest DigestReadModel::Build(const domain::Id& tenant_id, domain::Timestamp day) const {
  Digest digest;
  digest.day = day;
  const domain::Timestamp cutoff = day + kDigestHourUtc * 3600 * domain::kMicrosPerSecond;
  impl_->tenants.Read(tenant_id, [&](const TenantDigest& tenant) {
    for (int p = static_cast<int>(domain::Priority::kUrgent); p >= 0; --p) {
      const auto& group = tenant.groups[p];
      if (group.empty()) continue;
      DigestGroup out;
      out.priority = static_cast<domain::Priority>(p);
      out.tickets.reserve(group.size());
      for (const auto& [key, ticket] : group)
        out.tickets.push_back(DigestEntry{ticket, ticket->due_at.has_value() && *ticket->due_at < cutoff});
      digest.groups.push_back(std::move(out));
    }
  });
  digest.skipped = digest.groups.empty();
  return digest;
}

}  // namespace ticketd::projections

namespace ticketd::projections {

void DigestReadModel::EncodeCanonical(BinaryWriter& out) const {
  impl_->tenants.ForEachSorted([&](const domain::Id& tenant_id, const TenantDigest& digest) {
    bool empty = true;
    for (const auto& group : digest.groups) empty = empty && group.empty();
    if (empty) return;
    out.Id(tenant_id);
    for (const auto& group : digest.groups) {
      out.U64(group.size());
      for (const auto& [key, ticket] : group) {  // already in key order
        out.I64(key.due);
        out.I64(key.number);
        out.Id(key.id);
        out.I64(ticket->version);
      }
    }
  });
}

}  // namespace ticketd::projections

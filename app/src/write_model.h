// WriteModel: the engine's folded state of every ticket and tenant, plus the
// lookups the deciders' contexts need (who is a user of which tenant, which
// asset belongs where, which tickets reference an asset). Owned and used by
// the engine's writer thread only; not thread-safe.
#pragma once

#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "ticketd/domain/directory.h"
#include "ticketd/domain/ticket.h"
#include "ticketd/projections/binary_codec.h"
#include "ticketd/projections/ticket_read_model.h"
#include "assignment_ledger.h"
#include "ticket_table.h"

namespace ticketd::app {

class WriteModel {
 public:
  // Folds one event into the state. For ticket events returns the ticket
  // after the event (nullptr after TicketDeleted); nullptr otherwise.
  projections::TicketPtr Apply(const domain::DomainEvent& event);

  domain::TicketState TicketState(const domain::Id& ticket_id) const;
  projections::TicketPtr Ticket(const domain::Id& ticket_id) const;  // live tickets only
  const domain::TenantState* Tenant(const domain::Id& tenant_id) const;

  // The stream version an event of (tenant, stream) gets next.
  std::int64_t NextVersion(const domain::DomainEvent& event) const;

  domain::TicketContext ContextFor(const domain::TicketCommand& command) const;
  domain::DirectoryContext ContextFor(const domain::DirectoryCommand& command) const;

  void Clear();

  // Tickets whose SLA reading a policy change recomputed since the last
  // call (no ticket event carries that change): the read models take them.
  std::vector<projections::TicketPtr> TakeSlaRestamped();

  // Canonical serialization (binary_codec.h), entries sorted by id; it is
  // also the write model's snapshot body. Decode loads one into an empty
  // model and returns false if the bytes do not parse.
  void EncodeCanonical(projections::BinaryWriter& out) const;
  [[nodiscard]] bool Decode(projections::BinaryReader& in);
  // Every live ticket, in no particular order (rebuilding read models).
  template <class Fn>
  void ForEachLiveTicket(Fn&& fn) const {
    for (std::uint32_t slot = 0; slot < tickets_.size(); ++slot)
      if (tickets_.phase(slot) == domain::TicketState::Phase::kLive) fn(tickets_.ticket(slot));
  }

 private:
  struct UserEntry {
    domain::Id tenant_id;
  };
  projections::TicketPtr ApplyToTicket(const domain::DomainEvent& event);
  // workflow (issue 12): the facts of the group a create or PATCH files the
  // ticket under, when that group assigns automatically.
  std::optional<domain::AssignmentFacts> AssignmentFactsFor(const domain::TicketCommand& command,
                                                            const domain::TenantState& tenant) const;
  AssignmentLedger assignment_;
  void IndexAssetReference(const projections::TicketPtr& before, const projections::TicketPtr& after);

  TicketTable tickets_;
  std::unordered_map<domain::Id, domain::TenantState, domain::IdHash> tenants_;
  std::unordered_map<domain::Id, UserEntry, domain::IdHash> users_;
  std::unordered_map<domain::Id, domain::Id, domain::IdHash> asset_tenant_;  // live assets
  std::unordered_map<domain::Id, std::unordered_set<domain::Id, domain::IdHash>, domain::IdHash>
      tickets_by_asset_;
  void RestampTenantSla(const domain::TenantState& tenant);
  std::vector<projections::TicketPtr> sla_restamped_;
  void IndexSlugs();  // from tenants_ (after a snapshot load)
  std::unordered_map<std::string, domain::Id> tenant_by_slug_;
};

}  // namespace ticketd::app

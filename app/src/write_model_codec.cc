// WriteModel's canonical serialization and snapshot decoding (write_model.h).
#include <algorithm>

#include "ticketd/projections/access_codec.h"
#include "ticketd/projections/sla_codec.h"
#include "ticketd/projections/account_codec.h"
#include "ticketd/projections/catalog_codec.h"
#include "write_model.h"

namespace ticketd::app {

using domain::Id;
using projections::BinaryReader;
using projections::BinaryWriter;
using projections::SortedEntries;

namespace {

void EncodeTenant(BinaryWriter& out, const domain::TenantState& t) {
  out.Bool(t.exists);
  out.Id(t.tenant_id);
  out.Bytes(t.name);
  out.Bytes(t.ticket_prefix);
  out.I64(t.tickets_created);
  out.I64(t.version);
  out.U64(t.users.size());
  for (const auto* entry : SortedEntries(t.users)) {
    const domain::User& u = entry->second;
    out.Id(u.id);
    out.Id(u.tenant_id);
    out.Bytes(u.name);
    out.Bytes(u.email);
    out.U64(static_cast<std::uint64_t>(u.role));
    out.Bytes(u.department);
    out.OptionalI64(u.erased_at);
  }
  out.U64(t.user_by_email.size());
  for (const auto* entry : SortedEntries(t.user_by_email)) {
    out.Bytes(entry->first);
    out.Id(entry->second);
  }
  out.U64(t.assets.size());
  for (const auto* entry : SortedEntries(t.assets)) {
    const domain::Asset& a = entry->second;
    out.Id(a.id);
    out.Id(a.tenant_id);
    out.Bytes(a.name);
    out.Bytes(a.kind);
  }
  projections::EncodeTenantAccess(out, t.access);
  projections::EncodeSlaSettings(out, t.sla);
  // ---- sign-in ----
  out.Bytes(t.slug);
  for (const auto* entry : SortedEntries(t.users)) out.Bool(entry->second.active);
  projections::EncodeAccountState(out, t.accounts);
  projections::EncodeCatalog(out, t.catalog);  // workflow (issue 12)
}

bool DecodeTenant(BinaryReader& in, domain::TenantState* t) {
  std::size_t count = 0;
  if (!in.Bool(&t->exists) || !in.Id(&t->tenant_id) || !in.Bytes(&t->name) || !in.Bytes(&t->ticket_prefix) ||
      !in.I64(&t->tickets_created) || !in.I64(&t->version) || !in.Count(&count))
    return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::User u;
    if (!in.Id(&u.id) || !in.Id(&u.tenant_id) || !in.Bytes(&u.name) || !in.Bytes(&u.email) ||
        !in.DomainEnum(&u.role) || !in.Bytes(&u.department) || !in.OptionalI64(&u.erased_at))
      return false;
    t->users[u.id] = std::move(u);
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    std::string email;
    Id id;
    if (!in.Bytes(&email) || !in.Id(&id)) return false;
    t->user_by_email[std::move(email)] = id;
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::Asset a;
    if (!in.Id(&a.id) || !in.Id(&a.tenant_id) || !in.Bytes(&a.name) || !in.Bytes(&a.kind)) return false;
    t->assets[a.id] = std::move(a);
  }
  if (!projections::DecodeTenantAccess(in, &t->access)) return false;
  if (!projections::DecodeSlaSettings(in, &t->sla)) return false;

  // ---- sign-in ----
  if (!in.Bytes(&t->slug)) return false;
  std::vector<Id> user_ids;
  for (const auto& [id, user] : t->users) user_ids.push_back(id);
  std::sort(user_ids.begin(), user_ids.end());
  for (const Id& id : user_ids) {
    if (!in.Bool(&t->users[id].active)) return false;
  }
  return projections::DecodeAccountState(in, &t->accounts) && projections::DecodeCatalog(in, &t->catalog);
}

}  // namespace

void WriteModel::EncodeCanonical(BinaryWriter& out) const {
  // Sorted by id: the ids copied beside their slots, so the sort reads one
  // array instead of two pointers per comparison.
  std::vector<std::pair<Id, std::uint32_t>> sorted(tickets_.size());
  for (std::uint32_t slot = 0; slot < tickets_.size(); ++slot) sorted[slot] = {tickets_.ticket(slot)->id, slot};
  std::sort(sorted.begin(), sorted.end());
  out.U64(sorted.size());
  for (const auto& [id, slot] : sorted) {
    const domain::Ticket& ticket = *tickets_.ticket(slot);
    out.Id(id);
    out.U64(static_cast<std::uint64_t>(tickets_.phase(slot)));
    out.Bool(true);  // a ticket per entry (the layout kept a flag for entries without one)
    out.Ticket(ticket);
  }
  out.U64(tenants_.size());
  for (const auto* entry : SortedEntries(tenants_)) {
    out.Id(entry->first);
    EncodeTenant(out, entry->second);
  }
  out.U64(users_.size());
  for (const auto* entry : SortedEntries(users_)) {
    out.Id(entry->first);
    out.Id(entry->second.tenant_id);
  }
  out.U64(asset_tenant_.size());
  for (const auto* entry : SortedEntries(asset_tenant_)) {
    out.Id(entry->first);
    out.Id(entry->second);
  }
  assignment_.Encode(out);  // workflow (issue 12)
}

bool WriteModel::Decode(BinaryReader& in) {
  Clear();
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  tickets_.Reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    Id id;
    domain::TicketState::Phase phase{};
    bool has_ticket = false;
    if (!in.Id(&id) || !in.EnumBelow(domain::TicketState::kPhaseCount, &phase) || !in.Bool(&has_ticket)) return false;
    if (!has_ticket) continue;  // the same as no entry (InitialTicketState)
    domain::Ticket ticket;
    if (!in.Ticket(&ticket)) return false;
    // Only an event before any creation left an entry that is still new, or
    // one whose ticket has another id: nothing a later event needs.
    if (phase == domain::TicketState::Phase::kNew || ticket.id != id || tickets_.Find(id)) continue;
    auto stored = std::make_shared<const domain::Ticket>(std::move(ticket));
    if (phase == domain::TicketState::Phase::kLive) IndexAssetReference(nullptr, stored);
    tickets_.Insert(std::move(stored), phase);
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    Id id;
    domain::TenantState tenant;
    if (!in.Id(&id) || !DecodeTenant(in, &tenant)) return false;
    tenants_[id] = std::move(tenant);
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    Id id;
    UserEntry user;
    if (!in.Id(&id) || !in.Id(&user.tenant_id)) return false;
    users_[id] = user;
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    Id asset_id, tenant_id;
    if (!in.Id(&asset_id) || !in.Id(&tenant_id)) return false;
    asset_tenant_[asset_id] = tenant_id;
  }
  IndexSlugs();
  return assignment_.Decode(in);
}

}  // namespace ticketd::app

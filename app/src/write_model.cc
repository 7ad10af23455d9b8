#include "write_model.h"

#include "sla_stamp.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::app {

using domain::DomainEvent;
using domain::Id;

projections::TicketPtr WriteModel::Apply(const DomainEvent& event) {
  const auto& payload = event.payload;
  if (domain::IsTicketEvent(payload)) {
    if (std::holds_alternative<domain::TicketCreated>(payload)) {
      tenants_[event.tenant_id] = domain::EvolveTenant(std::move(tenants_[event.tenant_id]), event);
    }
    return ApplyToTicket(event);
  }
  if (const auto* user = std::get_if<domain::UserCreated>(&payload)) {
    users_[user->user_id] = UserEntry{event.tenant_id};
  } else if (const auto* asset = std::get_if<domain::AssetCreated>(&payload)) {
    asset_tenant_[asset->asset_id] = event.tenant_id;
  } else if (const auto* deleted = std::get_if<domain::AssetDeleted>(&payload)) {
    asset_tenant_.erase(deleted->asset_id);
  } else if (const auto* tenant = std::get_if<domain::TenantCreated>(&payload)) {
    if (!tenant->slug.empty()) tenant_by_slug_[tenant->slug] = tenant->tenant_id;
  }
  domain::TenantState& tenant_state = tenants_[event.tenant_id];
  tenant_state = domain::EvolveTenant(std::move(tenant_state), event);
  if (std::holds_alternative<domain::SlaDirectoryEvent>(payload)) RestampTenantSla(tenant_state);
  return nullptr;
}

// A changed or deleted policy: its open tickets' readings are recomputed
// from their histories (WORKFLOW.md: "not from now"). A scan of the tickets,
// which is rare enough (a person edits a policy) to not need an index.
void WriteModel::RestampTenantSla(const domain::TenantState& tenant) {
  for (std::uint32_t slot = 0; slot < tickets_.size(); ++slot) {
    const projections::TicketPtr& current = tickets_.ticket(slot);
    if (tickets_.phase(slot) != domain::TicketState::Phase::kLive || current->tenant_id != tenant.tenant_id) continue;
    if (current->status == domain::TicketStatus::kResolved) {
      sla_restamped_.push_back(current);  // its auto-close deadline may have moved
      continue;
    }
    if (!current->sla) continue;
    domain::Ticket ticket = *current;
    if (!RestampSla(ticket, tenant)) continue;
    tickets_.Set(slot, std::make_shared<const domain::Ticket>(std::move(ticket)), domain::TicketState::Phase::kLive);
    sla_restamped_.push_back(tickets_.ticket(slot));
  }
}

std::vector<projections::TicketPtr> WriteModel::TakeSlaRestamped() { return std::exchange(sla_restamped_, {}); }

projections::TicketPtr WriteModel::ApplyToTicket(const DomainEvent& event) {
  const std::optional<std::uint32_t> slot = tickets_.Find(event.stream_id);
  projections::TicketPtr before = slot ? tickets_.ticket(*slot) : nullptr;
  domain::TicketState state =
      before ? domain::TicketState{tickets_.phase(*slot), *before} : domain::InitialTicketState();
  state = domain::EvolveTicket(std::move(state), event);
  StampSlaAfterEvent(state.ticket, event, Tenant(event.tenant_id));
  const domain::TicketState::Phase phase = state.phase;
  auto after = std::make_shared<const domain::Ticket>(std::move(state.ticket));
  if (slot) {
    tickets_.Set(*slot, after, phase);
  } else if (phase != domain::TicketState::Phase::kNew && after->id == event.stream_id) {
    tickets_.Insert(after, phase);  // an event before any creation leaves nothing to keep
  }
  if (phase == domain::TicketState::Phase::kDeleted) {
    IndexAssetReference(before, nullptr);
    assignment_.Observe(event, before.get(), nullptr);
    return nullptr;
  }
  IndexAssetReference(before, after);
  assignment_.Observe(event, before.get(), after.get());
  return after;
}

void WriteModel::IndexAssetReference(const projections::TicketPtr& before,
                                     const projections::TicketPtr& after) {
  std::optional<Id> old_asset = before ? before->asset_id : std::nullopt;
  std::optional<Id> new_asset = after ? after->asset_id : std::nullopt;
  if (old_asset == new_asset) return;
  const Id& ticket_id = before ? before->id : after->id;
  if (old_asset) {
    auto it = tickets_by_asset_.find(*old_asset);
    if (it != tickets_by_asset_.end()) {
      it->second.erase(ticket_id);
      if (it->second.empty()) tickets_by_asset_.erase(it);
    }
  }
  if (new_asset) tickets_by_asset_[*new_asset].insert(ticket_id);
}

domain::TicketState WriteModel::TicketState(const Id& ticket_id) const {
  const std::optional<std::uint32_t> slot = tickets_.Find(ticket_id);
  if (!slot) return domain::InitialTicketState();
  return domain::TicketState{tickets_.phase(*slot), *tickets_.ticket(*slot)};
}

projections::TicketPtr WriteModel::Ticket(const Id& ticket_id) const {
  const std::optional<std::uint32_t> slot = tickets_.Find(ticket_id);
  if (!slot || tickets_.phase(*slot) != domain::TicketState::Phase::kLive) return nullptr;
  return tickets_.ticket(*slot);
}

const domain::TenantState* WriteModel::Tenant(const Id& tenant_id) const {
  auto it = tenants_.find(tenant_id);
  return it == tenants_.end() ? nullptr : &it->second;
}

std::int64_t WriteModel::NextVersion(const DomainEvent& event) const {
  if (domain::IsTicketEvent(event.payload)) {
    const std::optional<std::uint32_t> slot = tickets_.Find(event.stream_id);
    return slot ? tickets_.ticket(*slot)->version + 1 : 1;
  }
  const domain::TenantState* tenant = Tenant(event.tenant_id);
  return tenant ? tenant->version + 1 : 1;
}

domain::TicketContext WriteModel::ContextFor(const domain::TicketCommand& command) const {
  domain::TicketContext context;
  const domain::CommandHeader& header = domain::HeaderOf(command);
  if (const domain::TenantState* tenant = Tenant(header.actor.tenant_id)) {
    context.ticket_prefix = tenant->ticket_prefix;
    context.next_number = tenant->tickets_created + 1;
    context.asset_integration = tenant->access.Enabled(domain::Feature::kAssetIntegration);
    context.catalog = &tenant->catalog;
    context.assignment = AssignmentFactsFor(command, *tenant);
  }
  auto lookup_user = [&](const std::optional<Id>& id) {
    if (!id) return;
    auto it = users_.find(*id);
    if (it == users_.end()) return;
    bool can_manage = false;
    if (const domain::TenantState* tenant = Tenant(it->second.tenant_id)) {
      if (auto user = tenant->users.find(*id); user != tenant->users.end())
        can_manage = domain::EffectivePermissions(tenant->access, user->second).Has(domain::Permission::kTicketsManage);
    }
    context.assignee = domain::UserFacts{*id, it->second.tenant_id, can_manage};
  };
  auto lookup_asset = [&](const std::optional<Id>& id) {
    if (!id) return;
    if (auto it = asset_tenant_.find(*id); it != asset_tenant_.end())
      context.asset = domain::AssetFacts{*id, it->second};
  };
  std::visit(Overloaded{
                 [&](const domain::CreateTicket& c) {
                   lookup_user(c.assignee_id);
                   lookup_asset(c.asset_id);
                 },
                 [&](const domain::UpdateTicket& c) {
                   if (c.asset_id) lookup_asset(*c.asset_id);
                 },
                 [&](const domain::AssignTicket& c) { lookup_user(c.assignee_id); },
                 [&](const domain::ClaimTicket& c) { lookup_user(c.header.actor.user_id); },
                 [](const domain::ChangeStatus&) {},
                 [](const domain::AddComment&) {},
                 [](const domain::DeleteTicket&) {},
                 [](const domain::AttachFiles&) {},
                 [](const domain::EraseTicket&) {},
                 [&](const domain::FireTimer&) {
                   if (const domain::TenantState* tenant = Tenant(header.actor.tenant_id)) {
                     context.auto_close_after = tenant->sla.auto_close_after;
                     const std::optional<std::uint32_t> slot = tickets_.Find(header.ticket_id);
                     if (slot && tickets_.ticket(*slot)->sla) {
                       if (const domain::SlaPolicy* policy = tenant->sla.Find(tickets_.ticket(*slot)->sla->policy_id))
                         context.escalate = policy->escalate;
                     }
                   }
                 },
             },
             command);
  return context;
}

std::optional<domain::AssignmentFacts> WriteModel::AssignmentFactsFor(const domain::TicketCommand& command,
                                                                      const domain::TenantState& tenant) const {
  const domain::CatalogRequest request = domain::CatalogRequestOf(command);
  if (request.Empty()) return std::nullopt;
  domain::CatalogChoice current;
  if (const auto* update = std::get_if<domain::UpdateTicket>(&command)) {
    projections::TicketPtr ticket = Ticket(update->header.ticket_id);
    if (!ticket) return std::nullopt;
    current = {ticket->group_id, ticket->category_id, ticket->subcategory_id};
  }
  const domain::CatalogChoice after = domain::ResolveCatalogChoice(tenant.catalog, current, request);
  const domain::CatalogEntry* group = after.group_id ? tenant.catalog.Find(*after.group_id) : nullptr;
  if (!group || group->kind != domain::CatalogKind::kGroup || group->assignment == domain::AssignmentMode::kManual)
    return std::nullopt;
  // O(team size): each member's facts are kept up to date per event.
  domain::AssignmentFacts facts{group->id, group->assignment, {}, assignment_.RoundRobinLast(group->id)};
  for (const Id& member : group->team_ids) {
    domain::AssignmentCandidate candidate{member};
    if (auto user = tenant.users.find(member); user != tenant.users.end())
      candidate.eligible = user->second.active && !user->second.erased_at &&
                           domain::EffectivePermissions(tenant.access, user->second).Has(domain::Permission::kTicketsManage);
    candidate.open_load = assignment_.OpenLoad(member);
    candidate.last_assigned_at = assignment_.LastAssignedAt(member);
    facts.team.push_back(candidate);
  }
  return facts;
}

void WriteModel::IndexSlugs() {
  tenant_by_slug_.clear();
  for (const auto& [id, tenant] : tenants_)
    if (!tenant.slug.empty()) tenant_by_slug_[tenant.slug] = id;
}

domain::DirectoryContext WriteModel::ContextFor(const domain::DirectoryCommand& command) const {
  domain::DirectoryContext context;
  if (const auto* create = std::get_if<domain::CreateTenant>(&command))
    context.slug_taken = tenant_by_slug_.contains(domain::TenantSlug(*create));
  if (const auto* del = std::get_if<domain::DeleteAsset>(&command)) {
    if (auto it = tickets_by_asset_.find(del->asset_id); it != tickets_by_asset_.end()) {
      for (const Id& ticket_id : it->second) {
        if (auto ticket = Ticket(ticket_id))
          context.tickets_referencing_asset.emplace_back(ticket_id, ticket->status);
      }
    }
  }
  return context;
}

void WriteModel::Clear() {
  tickets_.Clear();
  tenants_.clear();
  users_.clear();
  asset_tenant_.clear();
  tickets_by_asset_.clear();
  tenant_by_slug_.clear();
  sla_restamped_.clear();
  assignment_.Clear();
}

}  // namespace ticketd::app

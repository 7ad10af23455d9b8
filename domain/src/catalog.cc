// The catalog's folded state and the checks ticket commands make against it.
#include "ticketd/domain/catalog.h"

#include "ticketd/domain/overloaded.h"

namespace ticketd::domain {

const CatalogEntry* Catalog::Find(const Id& id) const {
  auto it = entries.find(id);
  return it == entries.end() ? nullptr : &it->second;
}

const CatalogEntry* Catalog::FindChoosable(const Id& id) const {
  const CatalogEntry* entry = Find(id);
  for (const CatalogEntry* e = entry; e != nullptr; e = e->parent_id.IsNil() ? nullptr : Find(e->parent_id))
    if (e->archived) return nullptr;
  return entry;
}

void EvolveCatalog(Catalog& catalog, const WorkflowEvent& event) {
  std::visit(Overloaded{
                 [&](const CatalogEntryCreated& e) {
                   catalog.seeded = true;
                   catalog.entries[e.entry_id] = CatalogEntry{e.kind,        e.entry_id, e.parent_id,
                                                              e.name,        e.description, e.team_ids,
                                                              e.assignment, false};
                   catalog.creation_order.push_back(e.entry_id);
                 },
                 [&](const CatalogEntryUpdated& e) {
                   auto it = catalog.entries.find(e.entry_id);
                   if (it == catalog.entries.end()) return;
                   CatalogEntry& entry = it->second;
                   if (e.name) entry.name = *e.name;
                   if (e.description) entry.description = *e.description;
                   if (e.team_ids) entry.team_ids = *e.team_ids;
                   if (e.assignment) entry.assignment = *e.assignment;
                 },
                 [&](const CatalogEntryArchived& e) {
                   if (auto it = catalog.entries.find(e.entry_id); it != catalog.entries.end())
                     it->second.archived = true;
                 },
                 [&](const ReopenPolicyChanged& e) { catalog.reopen = e.policy; },
             },
             event);
}

std::vector<DomainEvent> DefaultCatalogEvents(const Actor& actor, Timestamp at, const Id& tenant_id,
                                              const std::array<Id, kDefaultCatalogSize>& ids) {
  auto event = [&](CatalogEntryCreated created) {
    return DomainEvent{tenant_id, tenant_id, at, actor.user_id, WorkflowEvent{std::move(created)}};
  };
  std::vector<DomainEvent> events;
  CatalogEntryCreated group;
  group.kind = CatalogKind::kGroup;
  group.entry_id = ids[0];
  group.name = std::string(kDefaultGroupName);
  events.push_back(event(group));
  for (std::size_t i = 0; i < kDefaultCategoryNames.size(); ++i) {
    CatalogEntryCreated category;
    category.kind = CatalogKind::kCategory;
    category.entry_id = ids[i + 1];
    category.parent_id = ids[0];
    category.name = std::string(kDefaultCategoryNames[i]);
    events.push_back(event(category));
  }
  return events;
}

namespace {

std::optional<DomainError> CheckEntry(const Catalog& catalog, const std::optional<Id>& id, CatalogKind kind,
                                      const std::optional<Id>& parent, bool changed, const char* field,
                                      const char* parent_field) {
  if (!id) return std::nullopt;
  const CatalogEntry* entry = changed ? catalog.FindChoosable(*id) : catalog.Find(*id);
  if (!entry || entry->kind != kind) {
    const std::string what = changed && catalog.Find(*id) && catalog.Find(*id)->kind == kind
                                 ? " is archived and can no longer be chosen"
                                 : " is not an entry of this tenant's catalog";
    return MakeError(ErrorCode::kValidation, std::string("this ") + std::string(ToString(kind)) + what, field);
  }
  if (!parent || entry->parent_id != *parent)
    return MakeError(ErrorCode::kValidation,
                     std::string("this ") + std::string(ToString(kind)) + " is not under the ticket's " +
                         parent_field,
                     field);
  return std::nullopt;
}

}  // namespace

std::optional<DomainError> CheckCatalogChoice(const Catalog& catalog, const CatalogChoice& choice,
                                              CatalogFieldsSet changed) {
  if (choice.group_id) {
    const CatalogEntry* group = changed.group ? catalog.FindChoosable(*choice.group_id)
                                              : catalog.Find(*choice.group_id);
    if (!group || group->kind != CatalogKind::kGroup) {
      const CatalogEntry* any = catalog.Find(*choice.group_id);
      return MakeError(ErrorCode::kValidation,
                       any && any->kind == CatalogKind::kGroup
                           ? "this group is archived and can no longer be chosen"
                           : "this group is not an entry of this tenant's catalog",
                       "group_id");
    }
  }
  // A category or subcategory must sit under the chosen group / category;
  // re-checked when its parent changes, so a moved ticket stays consistent.
  if (auto e = CheckEntry(catalog, choice.category_id, CatalogKind::kCategory, choice.group_id,
                          changed.category, "category_id", "group (group_id)"))
    return e;
  if (auto e = CheckEntry(catalog, choice.subcategory_id, CatalogKind::kSubcategory, choice.category_id,
                          changed.subcategory, "subcategory_id", "category (category_id)"))
    return e;
  return std::nullopt;
}

std::optional<DomainError> CheckReopenPolicy(const ReopenPolicy& policy, Timestamp closed_at, Timestamp now) {
  bool allowed = true;
  switch (policy.kind) {
    case ReopenPolicy::Kind::kAllow:
      break;
    case ReopenPolicy::Kind::kDeny:
      allowed = false;
      break;
    case ReopenPolicy::Kind::kWithin:
      allowed = now - closed_at <= policy.within;
      break;
  }
  if (allowed) return std::nullopt;
  DomainError e = MakeError(ErrorCode::kInvalidTransition,
                            policy.kind == ReopenPolicy::Kind::kDeny
                                ? "closed tickets are final in this tenant (closed_reopen: deny)"
                                : "the time to reopen this closed ticket has passed (closed_reopen: " +
                                      ToString(policy) + ")");
  e.from = TicketStatus::kClosed;
  e.to = TicketStatus::kOpen;
  e.reason = "reopen_policy";
  return e;
}

}  // namespace ticketd::domain

namespace ticketd::domain {

CatalogChoice ResolveCatalogChoice(const Catalog& catalog, CatalogChoice current, const CatalogRequest& request) {
  const CatalogChoice before = current;
  if (request.group_id) current.group_id = *request.group_id;
  if (request.category_id) current.category_id = *request.category_id;
  if (request.subcategory_id) current.subcategory_id = *request.subcategory_id;
  if (current.group_id != before.group_id && !request.category_id) current.category_id.reset();
  if (current.category_id != before.category_id && !request.subcategory_id) current.subcategory_id.reset();
  // A child named without a parent brings its parent along; a parent that
  // is there already stays, and CheckCatalogChoice refuses a child outside it.
  auto parent_of = [&](const std::optional<Id>& id, CatalogKind kind) -> std::optional<Id> {
    const CatalogEntry* entry = id ? catalog.Find(*id) : nullptr;
    if (!entry || entry->kind != kind) return std::nullopt;
    return entry->parent_id;
  };
  if (current.subcategory_id && !current.category_id)
    current.category_id = parent_of(current.subcategory_id, CatalogKind::kSubcategory);
  if (current.category_id && !current.group_id)
    current.group_id = parent_of(current.category_id, CatalogKind::kCategory);
  return current;
}

}  // namespace ticketd::domain

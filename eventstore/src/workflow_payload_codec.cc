// Workflow payloads: one encoder branch per WorkflowEvent alternative (no
// default, so a new one fails to compile until mapped), one decoder case per
// oneof field.
#include "workflow_payload_codec.h"

#include "id_text.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::eventstore {
namespace {

using namespace ticketd::domain;

template <class Enum, std::size_t N>
bool InRange(int value, const std::array<Enum, N>& all, Enum* out) {
  if (value < 0 || static_cast<std::size_t>(value) >= all.size()) return false;
  *out = static_cast<Enum>(value);
  return true;
}

template <class Ids>
bool ParseIds(const Ids& texts, std::vector<Id>* out) {
  out->clear();
  for (const std::string& text : texts)
    if (!ParseId(text, &out->emplace_back())) return false;
  return true;
}

}  // namespace

void EncodeWorkflowPayload(const WorkflowEvent& event, v1::EventEnvelope* env) {
  std::visit(Overloaded{
                 [&](const CatalogEntryCreated& e) {
                   auto* p = env->mutable_catalog_entry_created();
                   p->set_kind(static_cast<v1::CatalogKind>(e.kind));
                   p->set_entry_id(IdText(e.entry_id));
                   if (!e.parent_id.IsNil()) p->set_parent_id(IdText(e.parent_id));
                   p->set_name(e.name);
                   p->set_description(e.description);
                   for (const Id& id : e.team_ids) p->add_team_ids(IdText(id));
                   p->set_assignment(static_cast<v1::AssignmentMode>(e.assignment));
                 },
                 [&](const CatalogEntryUpdated& e) {
                   auto* p = env->mutable_catalog_entry_updated();
                   p->set_kind(static_cast<v1::CatalogKind>(e.kind));
                   p->set_entry_id(IdText(e.entry_id));
                   if (e.name) p->set_name(*e.name);
                   if (e.description) p->set_description(*e.description);
                   if (e.team_ids) {
                     p->set_team_ids_set(true);
                     for (const Id& id : *e.team_ids) p->add_team_ids(IdText(id));
                   }
                   if (e.assignment) p->set_assignment(static_cast<v1::AssignmentMode>(*e.assignment));
                 },
                 [&](const CatalogEntryArchived& e) {
                   auto* p = env->mutable_catalog_entry_archived();
                   p->set_kind(static_cast<v1::CatalogKind>(e.kind));
                   p->set_entry_id(IdText(e.entry_id));
                 },
                 [&](const ReopenPolicyChanged& e) {
                   auto* p = env->mutable_reopen_policy_changed();
                   p->set_kind(static_cast<v1::ReopenPolicyChanged::Kind>(e.policy.kind));
                   p->set_within_us(e.policy.within);
                 },
             },
             event);
}

Status DecodeWorkflowPayload(const v1::EventEnvelope& env, EventPayload* payload) {
  bool ok = true;
  WorkflowEvent decoded;
  switch (env.payload_case()) {
    case v1::EventEnvelope::kCatalogEntryCreated: {
      const auto& p = env.catalog_entry_created();
      CatalogEntryCreated e{.name = p.name(), .description = p.description()};
      ok = InRange(p.kind(), kAllCatalogKinds, &e.kind) && ParseId(p.entry_id(), &e.entry_id) &&
           (p.parent_id().empty() || ParseId(p.parent_id(), &e.parent_id)) && ParseIds(p.team_ids(), &e.team_ids) &&
           InRange(p.assignment(), kAllAssignmentModes, &e.assignment);
      decoded = std::move(e);
      break;
    }
    case v1::EventEnvelope::kCatalogEntryUpdated: {
      const auto& p = env.catalog_entry_updated();
      CatalogEntryUpdated e;
      ok = InRange(p.kind(), kAllCatalogKinds, &e.kind) && ParseId(p.entry_id(), &e.entry_id);
      if (p.has_name()) e.name = p.name();
      if (p.has_description()) e.description = p.description();
      if (ok && p.team_ids_set()) ok = ParseIds(p.team_ids(), &e.team_ids.emplace());
      if (ok && p.has_assignment()) ok = InRange(p.assignment(), kAllAssignmentModes, &e.assignment.emplace());
      decoded = std::move(e);
      break;
    }
    case v1::EventEnvelope::kCatalogEntryArchived: {
      const auto& p = env.catalog_entry_archived();
      CatalogEntryArchived e;
      ok = InRange(p.kind(), kAllCatalogKinds, &e.kind) && ParseId(p.entry_id(), &e.entry_id);
      decoded = e;
      break;
    }
    case v1::EventEnvelope::kReopenPolicyChanged: {
      const auto& p = env.reopen_policy_changed();
      ReopenPolicyChanged e;
      ok = p.kind() >= 0 && p.kind() <= 2;
      e.policy.kind = static_cast<ReopenPolicy::Kind>(p.kind());
      e.policy.within = p.within_us();
      decoded = e;
      break;
    }
    default:
      return Status::Corruption("not a workflow payload");
  }
  if (!ok) return Status::Corruption("workflow payload has a malformed id or enum value");
  *payload = std::move(decoded);
  return Status::Ok();
}

}  // namespace ticketd::eventstore

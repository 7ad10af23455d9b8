#include "assignment_ledger.h"

namespace ticketd::app {
namespace {

using domain::Id;

// The statuses that count towards least_loaded (WORKFLOW.md).
bool CountsAsLoad(domain::TicketStatus s) {
  return s == domain::TicketStatus::kOpen || s == domain::TicketStatus::kInProgress ||
         s == domain::TicketStatus::kOnHold;
}

std::optional<Id> LoadedAssignee(const domain::Ticket* t) {
  if (!t || !t->assignee_id || !CountsAsLoad(t->status)) return std::nullopt;
  return t->assignee_id;
}

}  // namespace

void AssignmentLedger::Observe(const domain::DomainEvent& event, const domain::Ticket* before,
                               const domain::Ticket* after) {
  const std::optional<Id> was = LoadedAssignee(before), is = LoadedAssignee(after);
  if (was != is) {
    if (was) {
      auto it = open_load_.find(*was);
      if (it != open_load_.end() && --it->second <= 0) open_load_.erase(it);
    }
    if (is) ++open_load_[*is];
  }
  std::optional<Id> given;
  if (const auto* created = std::get_if<domain::TicketCreated>(&event.payload)) given = created->assignee_id;
  if (const auto* assigned = std::get_if<domain::TicketAssigned>(&event.payload)) {
    given = assigned->assignee_id;
    if (given && assigned->rule == domain::AssignmentMode::kRoundRobin && after && after->group_id)
      round_robin_last_[*after->group_id] = *given;
  }
  if (given) last_assigned_[*given] = event.at;
}

std::int64_t AssignmentLedger::OpenLoad(const Id& user_id) const {
  auto it = open_load_.find(user_id);
  return it == open_load_.end() ? 0 : it->second;
}

std::optional<domain::Timestamp> AssignmentLedger::LastAssignedAt(const Id& user_id) const {
  auto it = last_assigned_.find(user_id);
  if (it == last_assigned_.end()) return std::nullopt;
  return it->second;
}

std::optional<Id> AssignmentLedger::RoundRobinLast(const Id& group_id) const {
  auto it = round_robin_last_.find(group_id);
  if (it == round_robin_last_.end()) return std::nullopt;
  return it->second;
}

void AssignmentLedger::Clear() {
  open_load_.clear();
  last_assigned_.clear();
  round_robin_last_.clear();
}

void AssignmentLedger::Encode(projections::BinaryWriter& out) const {
  out.U64(open_load_.size());
  for (const auto* entry : projections::SortedEntries(open_load_)) {
    out.Id(entry->first);
    out.I64(entry->second);
  }
  out.U64(last_assigned_.size());
  for (const auto* entry : projections::SortedEntries(last_assigned_)) {
    out.Id(entry->first);
    out.I64(entry->second);
  }
  out.U64(round_robin_last_.size());
  for (const auto* entry : projections::SortedEntries(round_robin_last_)) {
    out.Id(entry->first);
    out.Id(entry->second);
  }
}

bool AssignmentLedger::Decode(projections::BinaryReader& in) {
  Clear();
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    Id id;
    std::int64_t load = 0;
    if (!in.Id(&id) || !in.I64(&load)) return false;
    open_load_[id] = load;
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    Id id;
    domain::Timestamp at = 0;
    if (!in.Id(&id) || !in.I64(&at)) return false;
    last_assigned_[id] = at;
  }
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    Id group, member;
    if (!in.Id(&group) || !in.Id(&member)) return false;
    round_robin_last_[group] = member;
  }
  return true;
}

}  // namespace ticketd::app

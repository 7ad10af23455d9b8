#include "ticketd/domain/assignment.h"

#include <tuple>

namespace ticketd::domain {
namespace {

std::optional<Id> RoundRobin(const AssignmentFacts& facts) {
  const auto& team = facts.team;
  std::size_t start = 0;
  if (facts.round_robin_last) {
    for (std::size_t i = 0; i < team.size(); ++i)
      if (team[i].user_id == *facts.round_robin_last) start = i + 1;
  }
  for (std::size_t step = 0; step < team.size(); ++step) {
    const AssignmentCandidate& c = team[(start + step) % team.size()];
    if (c.eligible) return c.user_id;
  }
  return std::nullopt;
}

std::optional<Id> LeastLoaded(const AssignmentFacts& facts) {
  const AssignmentCandidate* best = nullptr;
  // Never assigned sorts before any time; std::optional's < does exactly that.
  auto key = [](const AssignmentCandidate& c) { return std::tuple(c.open_load, c.last_assigned_at); };
  for (const AssignmentCandidate& c : facts.team)
    if (c.eligible && (!best || key(c) < key(*best))) best = &c;
  if (!best) return std::nullopt;
  return best->user_id;
}

}  // namespace

std::optional<Id> PickAssignee(const AssignmentFacts& facts) {
  switch (facts.mode) {
    case AssignmentMode::kManual:
      return std::nullopt;
    case AssignmentMode::kRoundRobin:
      return RoundRobin(facts);
    case AssignmentMode::kLeastLoaded:
      return LeastLoaded(facts);
  }
  return std::nullopt;
}

}  // namespace ticketd::domain

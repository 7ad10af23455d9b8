// PickAssignee (WORKFLOW.md "Teams and fair assignment"): every mode, ties,
// ineligible members, wrap-around, and a long run for fairness.
#include <gtest/gtest.h>

#include <map>

#include "fixtures.h"
#include "ticketd/domain/assignment.h"

namespace ticketd::domain::testing {
namespace {

const Id kGroup = MakeId(90);
const Id kAnn = MakeId(11), kBob = MakeId(12), kCid = MakeId(13);

AssignmentCandidate Member(Id id, std::int64_t load = 0, std::optional<Timestamp> last = std::nullopt,
                           bool eligible = true) {
  return AssignmentCandidate{id, eligible, load, last};
}

AssignmentFacts Facts(AssignmentMode mode, std::vector<AssignmentCandidate> team,
                      std::optional<Id> last = std::nullopt) {
  return AssignmentFacts{kGroup, mode, std::move(team), last};
}

TEST(PickAssignee, ManualNeverPicks) {
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kManual, {Member(kAnn)})), std::nullopt);
}

TEST(PickAssignee, EmptyTeamOrNobodyEligiblePicksNobody) {
  for (AssignmentMode mode : {AssignmentMode::kRoundRobin, AssignmentMode::kLeastLoaded}) {
    EXPECT_EQ(PickAssignee(Facts(mode, {})), std::nullopt);
    EXPECT_EQ(PickAssignee(Facts(mode, {Member(kAnn, 0, {}, false), Member(kBob, 0, {}, false)})), std::nullopt);
  }
}

TEST(PickAssignee, RoundRobinStartsWithTheFirstThenGoesInTurnAndWraps) {
  std::vector<AssignmentCandidate> team{Member(kAnn), Member(kBob), Member(kCid)};
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kRoundRobin, team)), kAnn);
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kRoundRobin, team, kAnn)), kBob);
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kRoundRobin, team, kBob)), kCid);
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kRoundRobin, team, kCid)), kAnn);
}

TEST(PickAssignee, RoundRobinSkipsIneligibleMembersAndIgnoresLoad) {
  std::vector<AssignmentCandidate> team{Member(kAnn, 9), Member(kBob, 0, {}, false), Member(kCid, 5)};
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kRoundRobin, team, kAnn)), kCid);
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kRoundRobin, team, kCid)), kAnn);
  // Only the last pick is eligible: it gets the next one too.
  std::vector<AssignmentCandidate> alone{Member(kAnn), Member(kBob, 0, {}, false)};
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kRoundRobin, alone, kAnn)), kAnn);
}

TEST(PickAssignee, RoundRobinWhoseLastPickLeftTheTeamStartsAtTheFirst) {
  std::vector<AssignmentCandidate> team{Member(kBob), Member(kCid)};
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kRoundRobin, team, kAnn)), kBob);
}

TEST(PickAssignee, LeastLoadedTakesTheFewestOpenTickets) {
  std::vector<AssignmentCandidate> team{Member(kAnn, 3, 10), Member(kBob, 1, 20), Member(kCid, 2, 5)};
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kLeastLoaded, team)), kBob);
}

TEST(PickAssignee, LeastLoadedTieGoesToTheLongestSinceLastAssigned) {
  std::vector<AssignmentCandidate> team{Member(kAnn, 1, 300), Member(kBob, 1, 100), Member(kCid, 1, 200)};
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kLeastLoaded, team)), kBob);
  // Never assigned counts as longest ago.
  team.push_back(Member(MakeId(14), 1, std::nullopt));
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kLeastLoaded, team)), MakeId(14));
}

TEST(PickAssignee, LeastLoadedFullTieGoesToTeamOrder) {
  std::vector<AssignmentCandidate> team{Member(kBob, 0), Member(kAnn, 0)};
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kLeastLoaded, team)), kBob);
}

TEST(PickAssignee, LeastLoadedSkipsIneligibleEvenWhenIdle) {
  std::vector<AssignmentCandidate> team{Member(kAnn, 0, {}, false), Member(kBob, 7, 1)};
  EXPECT_EQ(PickAssignee(Facts(AssignmentMode::kLeastLoaded, team)), kBob);
}

// Feeding each pick back as the shell's write model would: every member gets
// the same share, whatever the mode.
TEST(PickAssignee, LongRunsAreFair) {
  for (AssignmentMode mode : {AssignmentMode::kRoundRobin, AssignmentMode::kLeastLoaded}) {
    std::vector<AssignmentCandidate> team{Member(kAnn), Member(kBob), Member(kCid)};
    std::optional<Id> last;
    std::map<Id, int> given;
    for (Timestamp t = 1; t <= 300; ++t) {
      std::optional<Id> pick = PickAssignee(Facts(mode, team, last));
      ASSERT_TRUE(pick);
      ++given[*pick];
      last = pick;
      for (auto& m : team)
        if (m.user_id == *pick) {
          ++m.open_load;
          m.last_assigned_at = t;
        }
    }
    for (Id id : {kAnn, kBob, kCid}) EXPECT_EQ(given[id], 100) << ToString(mode);
  }
}

}  // namespace
}  // namespace ticketd::domain::testing

// Every (from, to) pair of the contract's state machine, for an agent.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <utility>

#include "fixtures.h"

namespace ticketd::domain::testing {
namespace {

using S = TicketStatus;

// The contract's table, written out independently of the implementation.
const std::map<S, std::set<S>> kContract = {
    {S::kOpen, {S::kInProgress, S::kOnHold, S::kResolved, S::kClosed, S::kCancelled}},
    {S::kInProgress, {S::kOpen, S::kOnHold, S::kResolved, S::kClosed, S::kCancelled}},
    {S::kOnHold, {S::kOpen, S::kInProgress, S::kResolved, S::kCancelled}},
    {S::kResolved, {S::kClosed, S::kOpen, S::kInProgress}},
    {S::kClosed, {S::kOpen}},
    {S::kCancelled, {}},
};

struct Pair {
  S from, to;
};

std::vector<Pair> AllPairs() {
  std::vector<Pair> pairs;
  for (S from : kAllStatuses)
    for (S to : kAllStatuses) pairs.push_back({from, to});
  return pairs;
}

void PrintTo(const Pair& p, std::ostream* os) { *os << ToString(p.from) << " -> " << ToString(p.to); }

class TransitionTest : public ::testing::TestWithParam<Pair> {};

TEST_P(TransitionTest, AgentGetsExactlyTheContractsTransitions) {
  const auto [from, to] = GetParam();
  TicketState state = TicketIn(from);
  ASSERT_EQ(state.ticket.status, from);
  ChangeStatus command{Header(TheActors().agent), to};
  auto result = DecideTicket(state, command, TicketContext{});
  const bool allowed = kContract.at(from).contains(to);
  ASSERT_EQ(result.ok(), allowed) << ToString(from) << " -> " << ToString(to);
  if (allowed) {
    ASSERT_EQ(result.value().size(), 1u);
    const auto& changed = std::get<TicketStatusChanged>(result.value()[0].payload);
    EXPECT_EQ(changed.from, from);
    EXPECT_EQ(changed.to, to);
    EXPECT_EQ(Fold(state, result.value()).ticket.status, to);
    EXPECT_EQ(Fold(state, result.value()).ticket.version, state.ticket.version + 1);
  } else {
    const DomainError& e = result.error();
    EXPECT_EQ(e.code, ErrorCode::kInvalidTransition);
    EXPECT_EQ(e.from, from);
    EXPECT_EQ(e.to, to);
    EXPECT_EQ(std::set<S>(e.allowed.begin(), e.allowed.end()), kContract.at(from));
  }
  EXPECT_EQ(IsTransitionAllowed(from, to), allowed);
}

INSTANTIATE_TEST_SUITE_P(AllPairs, TransitionTest, ::testing::ValuesIn(AllPairs()),
                         [](const ::testing::TestParamInfo<Pair>& info) {
                           return std::string(ToString(info.param.from)) + "_to_" +
                                  std::string(ToString(info.param.to));
                         });

// The same 36 pairs for the other roles: the state machine is checked first
// (INVALID_TRANSITION), then who may make the move (FORBIDDEN).
enum class Who { kOwner, kManager, kItReporter, kAdmin };

const char* WhoName(Who w) {
  switch (w) {
    case Who::kOwner:
      return "reporter_owner";
    case Who::kManager:
      return "manager";
    case Who::kItReporter:
      return "it_reporter";
    case Who::kAdmin:
      return "admin";
  }
  return "?";
}

const Actor& ActorOf(Who w) {
  switch (w) {
    case Who::kOwner:
      return TheActors().reporter;
    case Who::kManager:
      return TheActors().manager;
    case Who::kItReporter:
      return TheActors().it_reporter;
    case Who::kAdmin:
      return TheActors().admin;
  }
  return TheActors().reporter;
}

// What a reporter may do to their own ticket (contract: close a resolved
// ticket, reopen a resolved or closed one).
const std::set<std::pair<S, S>> kReporterMoves = {
    {S::kResolved, S::kClosed}, {S::kResolved, S::kOpen}, {S::kClosed, S::kOpen}};

struct RolePair {
  Who who;
  S from, to;
};

std::vector<RolePair> AllRolePairs() {
  std::vector<RolePair> pairs;
  for (Who who : {Who::kOwner, Who::kManager, Who::kItReporter, Who::kAdmin})
    for (const Pair& p : AllPairs()) pairs.push_back({who, p.from, p.to});
  return pairs;
}

void PrintTo(const RolePair& p, std::ostream* os) {
  *os << WhoName(p.who) << ": " << ToString(p.from) << " -> " << ToString(p.to);
}

class RoleTransitionTest : public ::testing::TestWithParam<RolePair> {};

TEST_P(RoleTransitionTest, StateMachineFirstThenPermission) {
  const auto [who, from, to] = GetParam();
  auto result = DecideTicket(TicketIn(from), ChangeStatus{Header(ActorOf(who)), to}, TicketContext{});
  if (!kContract.at(from).contains(to)) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidTransition);
    EXPECT_EQ(result.error().from, from);
    EXPECT_EQ(result.error().to, to);
    return;
  }
  bool may = who == Who::kItReporter || who == Who::kAdmin ||
             (who == Who::kOwner && kReporterMoves.contains({from, to}));
  if (may) {
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(std::get<TicketStatusChanged>(result.value().at(0).payload).to, to);
  } else {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kForbidden);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryRoleAndPair, RoleTransitionTest, ::testing::ValuesIn(AllRolePairs()),
                         [](const ::testing::TestParamInfo<RolePair>& info) {
                           return std::string(WhoName(info.param.who)) + "_" +
                                  std::string(ToString(info.param.from)) + "_to_" +
                                  std::string(ToString(info.param.to));
                         });

TEST(StateMachine, ReporterOfAnotherTicketGetsNotFoundForEveryPair) {
  for (const Pair& p : AllPairs()) {
    auto result = DecideTicket(TicketIn(p.from), ChangeStatus{Header(TheActors().other_reporter), p.to},
                               TicketContext{});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::kNotFound) << ToString(p.from) << " -> " << ToString(p.to);
  }
}

TEST(StateMachine, AllowedTransitionsMatchesTheContractInItsOrder) {
  for (S from : kAllStatuses) {
    auto allowed = AllowedTransitions(from);
    EXPECT_EQ(std::set<S>(allowed.begin(), allowed.end()), kContract.at(from)) << ToString(from);
    EXPECT_EQ(allowed.size(), kContract.at(from).size()) << "duplicates for " << ToString(from);
    EXPECT_FALSE(IsTransitionAllowed(from, from));
  }
}

TEST(StateMachine, StatusChangeWithCommentAddsAPublicCommentInTheSameDecision) {
  ChangeStatus command{Header(TheActors().agent), S::kResolved, std::string("fixed the fuser"), MakeId(50)};
  auto result = DecideTicket(TicketIn(S::kInProgress), command, TicketContext{});
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.value().size(), 2u);
  const auto& comment = std::get<CommentAdded>(result.value()[1].payload);
  EXPECT_EQ(comment.body, "fixed the fuser");
  EXPECT_FALSE(comment.internal);
  EXPECT_EQ(comment.comment_id, MakeId(50));
}

TEST(StateMachine, AnEmptyStatusCommentIsRejected) {
  ChangeStatus command{Header(TheActors().agent), S::kResolved, std::string(""), MakeId(50)};
  auto result = DecideTicket(TicketIn(S::kInProgress), command, TicketContext{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "comment");
}

}  // namespace
}  // namespace ticketd::domain::testing

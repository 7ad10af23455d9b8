// Every (from, to) pair of the contract's state machine, for an agent.
#include <gtest/gtest.h>

#include <set>

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

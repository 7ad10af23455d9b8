// Ticket rules beyond the role table: validation, references, If-Match,
// no-op updates, claim paths, numbering, evolve.
#include <gtest/gtest.h>

#include "fixtures.h"

namespace ticketd::domain::testing {
namespace {

const Actors& A = TheActors();

TEST(CreateTicket, NumbersWithThePrefixAndTheNextNumber) {
  CreateTicket c{Header(A.reporter), "VPN down", "since 9am"};
  auto result = DecideTicket(InitialTicketState(), c, TicketContext{"ACME", 42});
  ASSERT_TRUE(result.ok());
  const auto& created = std::get<TicketCreated>(result.value()[0].payload);
  EXPECT_EQ(created.number, 42);
  EXPECT_EQ(created.number_text, "ACME-000042");
  EXPECT_EQ(created.reporter_id, A.reporter.user_id);
  TicketState state = Fold(InitialTicketState(), result.value());
  EXPECT_EQ(state.phase, TicketState::Phase::kLive);
  EXPECT_EQ(state.ticket.status, TicketStatus::kOpen);
  EXPECT_EQ(state.ticket.priority, Priority::kMedium);
  EXPECT_EQ(state.ticket.version, 1);
  EXPECT_EQ(state.ticket.created_at, state.ticket.updated_at);
}

TEST(CreateTicket, ValidatesTextFields) {
  struct Case {
    std::string subject, description, category, field;
  };
  const std::vector<Case> cases = {
      {"", "d", "", "subject"},
      {std::string(201, 'x'), "d", "", "subject"},
      {"tab\tin subject", "d", "", "subject"},
      {std::string("nul\0byte", 8), "d", "", "subject"},
      {"bad \xff utf8", "d", "", "subject"},
      {"ok", std::string(20001, 'x'), "", "description"},
      {"ok", "bell \a", "", "description"},
      {"ok", "d", std::string(65, 'c'), "category"},
      {"ok", "d", "\xc0\xaf", "category"},  // overlong encoding of '/'
      // Issue 10, item 8: C1 controls, bidi overrides and isolates, blank subjects.
      {"c1 \xc2\x85 next line", "d", "", "subject"},
      {"c1 \xc2\x9f", "d", "", "subject"},
      {"ok", "csi \xc2\x9b in text", "", "description"},
      {"invoice\xe2\x80\xaetxt.exe", "d", "", "subject"},  // U+202E RIGHT-TO-LEFT OVERRIDE
      {"ok", "\xe2\x80\xaa embedding", "", "description"},  // U+202A
      {"ok", "d", "\xe2\x81\xa6isolate", "category"},       // U+2066
      {"ok", "\xe2\x81\xa9 pop", "", "description"},       // U+2069
      {"   ", "d", "", "subject"},
      {"\xc2\xa0\xe3\x80\x80\xe2\x80\x8b", "d", "", "subject"},  // NBSP, ideographic space, ZWSP
  };
  for (const auto& c : cases) {
    CreateTicket command{Header(A.agent), c.subject, c.description};
    command.category = c.category;
    auto result = DecideTicket(InitialTicketState(), command, TicketContext{"TKT", 1});
    ASSERT_FALSE(result.ok()) << c.field;
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_EQ(result.error().field, c.field);
  }
  CreateTicket fine{Header(A.agent), std::string(200, 'x'), "multi\nline\ttext \xe2\x9c\x93"};
  fine.subject = "Drucker \xc3\xbc \xe3\x83\x97";  // ü, プ
  EXPECT_TRUE(DecideTicket(InitialTicketState(), fine, TicketContext{"TKT", 1}).ok());
  fine.subject = "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xc2\xa0x";  // Hebrew (right-to-left) text and a NBSP are fine
  fine.description = "   ";
  EXPECT_TRUE(DecideTicket(InitialTicketState(), fine, TicketContext{"TKT", 1}).ok());
}

TEST(CreateTicket, ReferencesMustExistInTheSameTenantAndAssigneesMustBeAgents) {
  CreateTicket c{Header(A.agent), "s", "d"};
  c.assignee_id = MakeId(9);
  TicketContext missing{"TKT", 1};
  auto r = DecideTicket(InitialTicketState(), c, missing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_EQ(r.error().field, "assignee_id");

  TicketContext foreign{"TKT", 1};
  foreign.assignee = UserFacts{MakeId(9, 2), kOtherTenant, true};
  r = DecideTicket(InitialTicketState(), c, foreign);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCrossTenantReference);

  TicketContext not_agent{"TKT", 1};
  not_agent.assignee = UserFacts{MakeId(9), kTenant, false};
  r = DecideTicket(InitialTicketState(), c, not_agent);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "assignee_id");

  CreateTicket with_asset{Header(A.agent), "s", "d"};
  with_asset.asset_id = MakeId(30, 2);
  TicketContext foreign_asset{"TKT", 1};
  foreign_asset.asset = AssetFacts{MakeId(30, 2), kOtherTenant};
  r = DecideTicket(InitialTicketState(), with_asset, foreign_asset);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCrossTenantReference);
  EXPECT_EQ(r.error().field, "asset_id");
}

TEST(UpdateTicket, IfMatchMismatchIsAVersionConflict) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  UpdateTicket c{Header(A.agent, state.ticket.version + 1)};
  c.priority = Priority::kHigh;
  auto r = DecideTicket(state, c, TicketContext{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kVersionConflict);
  EXPECT_EQ(r.error().expected_version, state.ticket.version + 1);
  EXPECT_EQ(r.error().actual_version, state.ticket.version);
  c.header.expected_version = state.ticket.version;
  EXPECT_TRUE(DecideTicket(state, c, TicketContext{}).ok());
}

TEST(UpdateTicket, SameValuesChangeNothingAndNoFieldIsAnError) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  UpdateTicket same{Header(A.agent)};
  same.subject = state.ticket.subject;
  same.priority = state.ticket.priority;
  auto r = DecideTicket(state, same, TicketContext{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
  UpdateTicket none{Header(A.agent)};
  r = DecideTicket(state, none, TicketContext{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
}

TEST(UpdateTicket, OnlyChangedFieldsAreRecordedAndStatusIsUntouched) {
  TicketState state = TicketIn(TicketStatus::kInProgress);
  UpdateTicket c{Header(A.agent)};
  c.subject = state.ticket.subject;
  c.due_at = std::optional<Timestamp>(5'000'000);
  c.category = "network";
  auto r = DecideTicket(state, c, TicketContext{});
  ASSERT_TRUE(r.ok());
  const auto& updated = std::get<TicketUpdated>(r.value()[0].payload);
  EXPECT_FALSE(updated.subject.has_value());
  ASSERT_TRUE(updated.due_at.has_value());
  EXPECT_EQ(**updated.due_at, 5'000'000);
  TicketState after = Fold(state, r.value());
  EXPECT_EQ(after.ticket.status, TicketStatus::kInProgress);
  EXPECT_EQ(after.ticket.category, "network");
  UpdateTicket clear{Header(A.agent)};
  clear.due_at = std::optional<Timestamp>();
  after = Fold(after, DecideTicket(after, clear, TicketContext{}).value());
  EXPECT_FALSE(after.ticket.due_at.has_value());
}

TEST(AssignTicket, ClosedTicketsCannotBeAssignedAndSameAssigneeIsANoOp) {
  auto r = DecideTicket(TicketIn(TicketStatus::kClosed), AssignTicket{Header(A.agent), A.agent.user_id},
                        ContextWithAgent());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTicketClosed);
  TicketState assigned = TicketIn(TicketStatus::kOpen, A.agent.user_id);
  r = DecideTicket(assigned, AssignTicket{Header(A.agent), A.agent.user_id}, ContextWithAgent());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
  r = DecideTicket(assigned, AssignTicket{Header(A.agent), std::nullopt}, ContextWithAgent());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(Fold(assigned, r.value()).ticket.assignee_id.has_value());
}

TEST(ClaimTicket, AssignsTheCallerAndStartsWork) {
  for (TicketStatus from : {TicketStatus::kOpen, TicketStatus::kOnHold, TicketStatus::kResolved}) {
    TicketState state = TicketIn(from);
    auto r = DecideTicket(state, ClaimTicket{Header(A.agent)}, TicketContext{});
    ASSERT_TRUE(r.ok()) << ToString(from);
    TicketState after = Fold(state, r.value());
    EXPECT_EQ(after.ticket.status, TicketStatus::kInProgress);
    EXPECT_EQ(after.ticket.assignee_id, A.agent.user_id);
  }
  TicketState mine = TicketIn(TicketStatus::kInProgress, A.agent.user_id);
  auto r = DecideTicket(mine, ClaimTicket{Header(A.agent)}, TicketContext{});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
  r = DecideTicket(mine, ClaimTicket{Header(A.admin)}, TicketContext{});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 1u);
  EXPECT_TRUE(std::holds_alternative<TicketAssigned>(r.value()[0].payload));
  for (TicketStatus from : {TicketStatus::kClosed, TicketStatus::kCancelled}) {
    r = DecideTicket(TicketIn(from), ClaimTicket{Header(A.agent)}, TicketContext{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidTransition);
  }
}

TEST(DeleteTicket, CarriesASnapshotAndLeavesTheTicketDeleted) {
  TicketState state = TicketIn(TicketStatus::kResolved);
  auto r = DecideTicket(state, DeleteTicket{Header(A.admin)}, TicketContext{});
  ASSERT_TRUE(r.ok());
  const auto& deleted = std::get<TicketDeleted>(r.value()[0].payload);
  EXPECT_EQ(deleted.snapshot, state.ticket);
  TicketState after = Fold(state, r.value());
  EXPECT_EQ(after.phase, TicketState::Phase::kDeleted);
  auto again = DecideTicket(after, DeleteTicket{Header(A.admin)}, TicketContext{});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST(Comments, BodiesAreValidated) {
  for (const std::string& body : {std::string(), std::string(20001, 'x'), std::string("\xed\xa0\x80")}) {
    auto r = DecideTicket(TicketIn(TicketStatus::kOpen), AddComment{Header(A.agent), MakeId(70), body, false},
                          TicketContext{});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "body");
  }
}

}  // namespace
}  // namespace ticketd::domain::testing

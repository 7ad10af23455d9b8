// Ticket commands in detail: If-Match ordering, references, claim paths,
// PATCH permissions and no-ops, the event envelope, and the fold.
#include <gtest/gtest.h>

#include <functional>

#include "fixtures.h"

namespace ticketd::domain::testing {
namespace {

const Actors& A = TheActors();
using Decision = Result<std::vector<DomainEvent>, DomainError>;

// ---- If-Match: after existence and read permission, before everything else ----

struct VersionCase {
  std::string name;
  std::function<TicketCommand(CommandHeader)> make;
};

std::vector<VersionCase> VersionCases() {
  return {
      {"patch",
       [](CommandHeader h) {
         UpdateTicket c{h};
         c.priority = Priority::kHigh;
         return TicketCommand(c);
       }},
      {"status",
       [](CommandHeader h) {
         return TicketCommand(ChangeStatus{h, TicketStatus::kInProgress});
       }},
      {"assign",
       [](CommandHeader h) {
         return TicketCommand(AssignTicket{h, A.agent.user_id});
       }},
      {"claim", [](CommandHeader h) { return TicketCommand(ClaimTicket{h}); }},
      {"comment",
       [](CommandHeader h) {
         return TicketCommand(AddComment{h, MakeId(70), "hi", false});
       }},
      {"delete", [](CommandHeader h) { return TicketCommand(DeleteTicket{h}); }},
  };
}

void PrintTo(const VersionCase& c, std::ostream* os) { *os << c.name; }

class VersionTest : public ::testing::TestWithParam<VersionCase> {};

TEST_P(VersionTest, MismatchIsAConflictAndMatchPasses) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  const auto& make = GetParam().make;
  auto stale = DecideTicket(state, make(Header(A.admin, state.ticket.version - 1)), ContextWithAgent());
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kVersionConflict);
  EXPECT_EQ(stale.error().expected_version, state.ticket.version - 1);
  EXPECT_EQ(stale.error().actual_version, state.ticket.version);
  EXPECT_TRUE(DecideTicket(state, make(Header(A.admin, state.ticket.version)), ContextWithAgent()).ok());
  EXPECT_TRUE(DecideTicket(state, make(Header(A.admin)), ContextWithAgent()).ok());
}

TEST_P(VersionTest, ConflictComesBeforeForbiddenButAfterNotFound) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  const auto& make = GetParam().make;
  // The manager may not assign, claim or delete: the stale version wins.
  auto manager = DecideTicket(state, make(Header(A.manager, 99)), ContextWithAgent());
  ASSERT_FALSE(manager.ok());
  EXPECT_EQ(manager.error().code, ErrorCode::kVersionConflict);
  // Someone who cannot see the ticket learns nothing about its version.
  for (const Actor* blind : {&A.other_reporter, &A.foreign_admin}) {
    auto r = DecideTicket(state, make(Header(*blind, 99)), ContextWithAgent());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  }
  TicketState missing = InitialTicketState();
  auto r = DecideTicket(missing, make(Header(A.admin, 99)), ContextWithAgent());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(EveryCommand, VersionTest, ::testing::ValuesIn(VersionCases()),
                         [](const ::testing::TestParamInfo<VersionCase>& info) { return info.param.name; });

// ---- references: assignee_id and asset_id ----

struct ReferenceCase {
  std::string name;
  std::optional<UserFacts> assignee;
  std::optional<AssetFacts> asset;
  std::optional<ErrorCode> code;  // nullopt: accepted
  std::string field;
};

std::vector<ReferenceCase> ReferenceCases() {
  return {
      {"agent_here", UserFacts{MakeId(3), kTenant, true}, std::nullopt, std::nullopt, ""},
      {"assignee_missing", std::nullopt, std::nullopt, ErrorCode::kValidation, "assignee_id"},
      {"assignee_foreign", UserFacts{MakeId(3, 2), kOtherTenant, true}, std::nullopt,
       ErrorCode::kCrossTenantReference, "assignee_id"},
      {"assignee_foreign_non_agent", UserFacts{MakeId(3, 2), kOtherTenant, false}, std::nullopt,
       ErrorCode::kCrossTenantReference, "assignee_id"},
      {"assignee_not_agent", UserFacts{MakeId(1), kTenant, false}, std::nullopt, ErrorCode::kValidation,
       "assignee_id"},
      {"asset_here", std::nullopt, AssetFacts{MakeId(40), kTenant}, std::nullopt, ""},
      {"asset_missing", std::nullopt, std::nullopt, ErrorCode::kValidation, "asset_id"},
      {"asset_foreign", std::nullopt, AssetFacts{MakeId(40, 2), kOtherTenant},
       ErrorCode::kCrossTenantReference, "asset_id"},
  };
}

bool IsAssetCase(const ReferenceCase& c) { return c.name.starts_with("asset"); }

void ExpectOutcome(const Decision& r, const ReferenceCase& c, const char* via) {
  if (!c.code) {
    EXPECT_TRUE(r.ok()) << via << ": " << r.error().message;
    return;
  }
  ASSERT_FALSE(r.ok()) << via;
  EXPECT_EQ(r.error().code, *c.code) << via;
  EXPECT_EQ(r.error().field, c.field) << via;
}

void PrintTo(const ReferenceCase& c, std::ostream* os) { *os << c.name; }

class ReferenceTest : public ::testing::TestWithParam<ReferenceCase> {};

TEST_P(ReferenceTest, CreatePatchAndAssignAgree) {
  const ReferenceCase& c = GetParam();
  TicketContext context{"TKT", 1, c.assignee, c.asset};
  const Id referenced =
      IsAssetCase(c) ? (c.asset ? c.asset->id : MakeId(41)) : (c.assignee ? c.assignee->id : MakeId(42));
  CreateTicket create{Header(A.agent), "s", "d"};
  (IsAssetCase(c) ? create.asset_id : create.assignee_id) = referenced;
  ExpectOutcome(DecideTicket(InitialTicketState(), create, context), c, "create");
  if (IsAssetCase(c)) {
    UpdateTicket patch{Header(A.agent)};
    patch.asset_id = Nullable<Id>(referenced);
    ExpectOutcome(DecideTicket(TicketIn(TicketStatus::kOpen), patch, context), c, "patch");
  } else {
    ExpectOutcome(
        DecideTicket(TicketIn(TicketStatus::kOpen), AssignTicket{Header(A.agent), referenced}, context), c,
        "assign");
  }
}

INSTANTIATE_TEST_SUITE_P(References, ReferenceTest, ::testing::ValuesIn(ReferenceCases()),
                         [](const ::testing::TestParamInfo<ReferenceCase>& info) { return info.param.name; });

TEST(References, ClearingTheAssetNeedsNoLookup) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  state.ticket.asset_id = MakeId(40);
  UpdateTicket patch{Header(A.agent)};
  patch.asset_id = Nullable<Id>();
  auto r = DecideTicket(state, patch, TicketContext{});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 1u);
  EXPECT_FALSE(Fold(state, r.value()).ticket.asset_id.has_value());
}

TEST(References, ReporterMayNotPreassign) {
  CreateTicket create{Header(A.reporter), "s", "d"};
  create.assignee_id = A.agent.user_id;
  auto r = DecideTicket(InitialTicketState(), create, ContextWithAgent());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

// ---- claim ----

struct ClaimCase {
  TicketStatus from;
  bool assigned_to_caller;
  std::vector<std::string> events;  // expected payload type names, in order
};

void PrintTo(const ClaimCase& c, std::ostream* os) {
  *os << ToString(c.from) << (c.assigned_to_caller ? " mine" : " unassigned");
}

class ClaimTest : public ::testing::TestWithParam<ClaimCase> {};

TEST_P(ClaimTest, ProducesExactlyTheNeededEvents) {
  const ClaimCase& c = GetParam();
  TicketState state =
      TicketIn(c.from, c.assigned_to_caller ? std::optional<Id>(A.agent.user_id) : std::nullopt);
  auto r = DecideTicket(state, ClaimTicket{Header(A.agent)}, TicketContext{});
  if (c.from == TicketStatus::kClosed || c.from == TicketStatus::kCancelled) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidTransition);
    EXPECT_EQ(r.error().from, c.from);
    EXPECT_EQ(r.error().to, TicketStatus::kInProgress);
    auto allowed = AllowedTransitions(c.from);
    EXPECT_EQ(r.error().allowed, std::vector<TicketStatus>(allowed.begin(), allowed.end()));
    return;
  }
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::vector<std::string> names;
  for (const auto& e : r.value()) names.emplace_back(EventTypeName(e.payload));
  EXPECT_EQ(names, c.events);
  TicketState after = Fold(state, r.value());
  EXPECT_EQ(after.ticket.status, TicketStatus::kInProgress);
  EXPECT_EQ(after.ticket.assignee_id, A.agent.user_id);
}

std::vector<ClaimCase> ClaimCases() {
  const std::string kAssigned = "ticket.assigned", kStatus = "ticket.status_changed";
  std::vector<ClaimCase> cases;
  for (bool mine : {false, true}) {
    std::vector<std::string> start =
        mine ? std::vector<std::string>{kStatus} : std::vector<std::string>{kAssigned, kStatus};
    cases.push_back({TicketStatus::kOpen, mine, start});
    cases.push_back({TicketStatus::kOnHold, mine, start});
    cases.push_back({TicketStatus::kResolved, mine, start});
    cases.push_back({TicketStatus::kInProgress, mine,
                     mine ? std::vector<std::string>{} : std::vector<std::string>{kAssigned}});
    cases.push_back({TicketStatus::kClosed, mine, {}});
    cases.push_back({TicketStatus::kCancelled, mine, {}});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(EveryStatus, ClaimTest, ::testing::ValuesIn(ClaimCases()),
                         [](const ::testing::TestParamInfo<ClaimCase>& info) {
                           return std::string(ToString(info.param.from)) +
                                  (info.param.assigned_to_caller ? "_mine" : "_unassigned");
                         });

// ---- PATCH ----

TEST(Patch, EachFieldEqualToTheCurrentValueIsANoOp) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  state.ticket.category = "hw";
  state.ticket.due_at = 77;
  state.ticket.asset_id = MakeId(40);
  TicketContext context;
  context.asset = AssetFacts{MakeId(40), kTenant};
  std::vector<std::function<void(UpdateTicket&)>> setters = {
      [&](UpdateTicket& c) { c.subject = state.ticket.subject; },
      [&](UpdateTicket& c) { c.description = state.ticket.description; },
      [&](UpdateTicket& c) { c.category = state.ticket.category; },
      [&](UpdateTicket& c) { c.priority = state.ticket.priority; },
      [&](UpdateTicket& c) { c.due_at = state.ticket.due_at; },
      [&](UpdateTicket& c) { c.asset_id = state.ticket.asset_id; },
  };
  UpdateTicket all{Header(A.agent)};
  for (const auto& set : setters) {
    UpdateTicket one{Header(A.agent)};
    set(one);
    set(all);
    auto r = DecideTicket(state, one, context);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value().empty());
  }
  auto r = DecideTicket(state, all, context);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().empty());
}

TEST(Patch, NoFieldIsAValidationErrorWithoutAField) {
  auto r = DecideTicket(TicketIn(TicketStatus::kOpen), UpdateTicket{Header(A.reporter)}, TicketContext{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  EXPECT_EQ(r.error().field, "");
  EXPECT_EQ(r.error().message, "no field to change");
}

TEST(Patch, OneForbiddenFieldRefusesTheWholeRequest) {
  UpdateTicket c{Header(A.reporter)};
  c.subject = "mine to fix";
  c.priority = Priority::kUrgent;
  auto r = DecideTicket(TicketIn(TicketStatus::kOpen), c, TicketContext{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
}

TEST(Patch, ValuesAreValidatedLikeCreate) {
  struct Case {
    std::function<void(UpdateTicket&)> set;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](UpdateTicket& c) { c.subject = ""; }, "subject"},
      {[](UpdateTicket& c) { c.subject = "line\nbreak"; }, "subject"},
      {[](UpdateTicket& c) { c.description = std::string("\x80", 1); }, "description"},
      {[](UpdateTicket& c) { c.category = std::string(65, 'c'); }, "category"},
      {[](UpdateTicket& c) { c.category = "del\x7f"; }, "category"},
  };
  for (const auto& c : cases) {
    UpdateTicket command{Header(A.agent)};
    c.set(command);
    auto r = DecideTicket(TicketIn(TicketStatus::kOpen), command, TicketContext{});
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_EQ(r.error().field, c.field);
  }
}

// ---- envelope and fold ----

TEST(Envelope, EveryEventCarriesTenantStreamTimeAndActor) {
  TicketState state = TicketIn(TicketStatus::kInProgress);
  CommandHeader h = Header(A.admin);
  h.at = 123'456;
  std::vector<TicketCommand> commands = {
      ChangeStatus{h, TicketStatus::kResolved, std::string("done"), MakeId(71)},
      AssignTicket{h, A.agent.user_id},
      ClaimTicket{h},
      AddComment{h, MakeId(72), "note", true},
      DeleteTicket{h},
  };
  UpdateTicket patch{h};
  patch.priority = Priority::kLow;
  commands.push_back(patch);
  for (const auto& command : commands) {
    auto r = DecideTicket(state, command, ContextWithAgent());
    ASSERT_TRUE(r.ok()) << command.index();
    ASSERT_FALSE(r.value().empty()) << command.index();
    for (const DomainEvent& e : r.value()) {
      EXPECT_EQ(e.tenant_id, kTenant);
      EXPECT_EQ(e.stream_id, kTicket);
      EXPECT_EQ(e.at, 123'456);
      EXPECT_EQ(e.actor_id, A.admin.user_id);
    }
  }
  CreateTicket create{h, "s", ""};
  auto r = DecideTicket(InitialTicketState(), create, TicketContext{"TKT", 1});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()[0].tenant_id, A.admin.tenant_id);
  EXPECT_EQ(r.value()[0].stream_id, kTicket);
}

TEST(Evolve, EachEventBumpsTheVersionAndUpdatedAt) {
  CreateTicket create{Header(A.agent), "VPN", "down"};
  create.header.at = 10;
  create.category = "network";
  create.due_at = 99;
  TicketState state =
      Fold(InitialTicketState(), DecideTicket(InitialTicketState(), create, {"TKT", 5}).value());
  EXPECT_EQ(state.ticket.version, 1);
  EXPECT_EQ(state.ticket.created_at, 10);
  EXPECT_EQ(state.ticket.number, 5);
  EXPECT_EQ(state.ticket.number_text, "TKT-000005");
  EXPECT_EQ(state.ticket.category, "network");
  EXPECT_EQ(state.ticket.due_at, 99);
  EXPECT_EQ(state.ticket.tenant_id, kTenant);
  EXPECT_EQ(state.ticket.id, kTicket);
  const std::vector<EventPayload> payloads = {
      TicketAssigned{A.agent.user_id}, TicketStatusChanged{TicketStatus::kOpen, TicketStatus::kInProgress},
      CommentAdded{MakeId(80), "x", false}, TicketUpdated{std::string("VPN!")}};
  Timestamp at = 10;
  for (const auto& payload : payloads) {
    at += 5;
    const std::int64_t before = state.ticket.version;
    state = EvolveTicket(state, DomainEvent{kTenant, kTicket, at, A.agent.user_id, payload});
    EXPECT_EQ(state.ticket.version, before + 1);
    EXPECT_EQ(state.ticket.updated_at, at);
    EXPECT_EQ(state.ticket.created_at, 10);
  }
  EXPECT_EQ(state.ticket.subject, "VPN!");
  EXPECT_EQ(state.ticket.description, "down");
  EXPECT_EQ(state.ticket.status, TicketStatus::kInProgress);
  EXPECT_EQ(state.ticket.assignee_id, A.agent.user_id);
  state =
      EvolveTicket(state, DomainEvent{kTenant, kTicket, 50, A.admin.user_id, TicketDeleted{state.ticket}});
  EXPECT_EQ(state.phase, TicketState::Phase::kDeleted);
  EXPECT_EQ(state.ticket.version, 6);
}

}  // namespace
}  // namespace ticketd::domain::testing

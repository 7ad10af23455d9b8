// Every role x every ticket action, as one table.
#include <gtest/gtest.h>

#include <functional>

#include "fixtures.h"

namespace ticketd::domain::testing {
namespace {

enum class Outcome { kOk, kForbidden, kNotFound, kCrossTenant };

const char* Name(Outcome o) {
  switch (o) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kForbidden:
      return "forbidden";
    case Outcome::kNotFound:
      return "not_found";
    case Outcome::kCrossTenant:
      return "cross_tenant";
  }
  return "?";
}

Outcome Of(const Result<std::vector<DomainEvent>, DomainError>& r) {
  if (r.ok()) return Outcome::kOk;
  if (r.error().code == ErrorCode::kForbidden) return Outcome::kForbidden;
  if (r.error().code == ErrorCode::kNotFound) return Outcome::kNotFound;
  if (r.error().code == ErrorCode::kCrossTenantReference) return Outcome::kCrossTenant;
  ADD_FAILURE() << "unexpected error " << r.error().message;
  return Outcome::kNotFound;
}

using Action = std::function<Outcome(const Actor&)>;

Outcome Run(const TicketState& state, TicketCommand command,
            const TicketContext& context = ContextWithAgent()) {
  return Of(DecideTicket(state, command, context));
}

const std::map<std::string, Action>& Actions() {
  static const std::map<std::string, Action> actions = {
      {"read",
       [](const Actor& a) {
         return CanReadTicket(a, TicketIn(TicketStatus::kOpen).ticket) ? Outcome::kOk : Outcome::kNotFound;
       }},
      {"create",
       [](const Actor& a) {
         CreateTicket c{Header(a), "Laptop broken", ""};
         return Run(InitialTicketState(), c);
       }},
      {"create_assigned",
       [](const Actor& a) {
         CreateTicket c{Header(a), "Laptop broken", ""};
         c.assignee_id = TheActors().agent.user_id;
         return Run(InitialTicketState(), c);
       }},
      {"patch_subject",
       [](const Actor& a) {
         UpdateTicket c{Header(a)};
         c.subject = "New subject";
         return Run(TicketIn(TicketStatus::kOpen), c);
       }},
      {"patch_priority",
       [](const Actor& a) {
         UpdateTicket c{Header(a)};
         c.priority = Priority::kUrgent;
         return Run(TicketIn(TicketStatus::kOpen), c);
       }},
      {"patch_description",
       [](const Actor& a) {
         UpdateTicket c{Header(a)};
         c.description = "New description";
         return Run(TicketIn(TicketStatus::kOpen), c);
       }},
      {"patch_due_at",
       [](const Actor& a) {
         UpdateTicket c{Header(a)};
         c.due_at = Nullable<Timestamp>(86'400'000'000);
         return Run(TicketIn(TicketStatus::kOpen), c);
       }},
      {"patch_asset",
       [](const Actor& a) {
         UpdateTicket c{Header(a)};
         c.asset_id = Nullable<Id>(MakeId(40));
         TicketContext context;
         context.asset = AssetFacts{MakeId(40), kTenant};
         return Run(TicketIn(TicketStatus::kOpen), c, context);
       }},
      {"resolve",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kInProgress), ChangeStatus{Header(a), TicketStatus::kResolved});
       }},
      {"reopen_resolved",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kResolved), ChangeStatus{Header(a), TicketStatus::kOpen});
       }},
      {"cancel",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kOpen), ChangeStatus{Header(a), TicketStatus::kCancelled});
       }},
      {"unassign",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kOpen, TheActors().agent.user_id),
                    AssignTicket{Header(a), std::nullopt});
       }},
      {"patch_category",
       [](const Actor& a) {
         UpdateTicket c{Header(a)};
         c.category = "hardware";
         return Run(TicketIn(TicketStatus::kOpen), c);
       }},
      {"start_work",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kOpen), ChangeStatus{Header(a), TicketStatus::kInProgress});
       }},
      {"close_resolved",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kResolved), ChangeStatus{Header(a), TicketStatus::kClosed});
       }},
      {"reopen_closed",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kClosed), ChangeStatus{Header(a), TicketStatus::kOpen});
       }},
      {"assign",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kOpen), AssignTicket{Header(a), TheActors().agent.user_id});
       }},
      {"claim",
       [](const Actor& a) {
         TicketContext context = ContextWithAgent();
         return Run(TicketIn(TicketStatus::kOpen), ClaimTicket{Header(a)}, context);
       }},
      {"comment",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kOpen), AddComment{Header(a), MakeId(60), "hello", false});
       }},
      {"internal_comment",
       [](const Actor& a) {
         return Run(TicketIn(TicketStatus::kOpen), AddComment{Header(a), MakeId(60), "hello", true});
       }},
      {"delete", [](const Actor& a) { return Run(TicketIn(TicketStatus::kOpen), DeleteTicket{Header(a)}); }},
  };
  return actions;
}

struct Row {
  std::string actor;
  std::string action;
  Outcome expected;
};

constexpr Outcome O = Outcome::kOk, F = Outcome::kForbidden, N = Outcome::kNotFound,
                  X = Outcome::kCrossTenant;

// Columns: reporter (owner), other_reporter, agent, it_reporter, manager, admin, foreign_admin, platform
const std::map<std::string, std::array<Outcome, 8>> kTable = {
    {"read", {O, N, O, O, O, O, N, N}},
    {"create", {O, O, O, O, O, O, O, F}},
    {"create_assigned", {F, F, O, O, F, O, X, F}},
    {"patch_subject", {O, N, O, O, F, O, N, F}},
    {"patch_priority", {F, N, O, O, O, O, N, F}},
    {"patch_description", {O, N, O, O, F, O, N, F}},
    {"patch_category", {F, N, O, O, F, O, N, F}},
    {"patch_asset", {F, N, O, O, F, O, N, F}},
    {"patch_due_at", {F, N, O, O, O, O, N, F}},
    {"resolve", {F, N, O, O, F, O, N, F}},
    {"reopen_resolved", {O, N, O, O, F, O, N, F}},
    {"cancel", {F, N, O, O, F, O, N, F}},
    {"unassign", {F, N, O, O, F, O, N, F}},
    {"start_work", {F, N, O, O, F, O, N, F}},
    {"close_resolved", {O, N, O, O, F, O, N, F}},
    {"reopen_closed", {O, N, O, O, F, O, N, F}},
    {"assign", {F, N, O, O, F, O, N, F}},
    {"claim", {F, N, O, O, F, O, N, F}},
    {"comment", {O, N, O, O, O, O, N, F}},
    {"internal_comment", {F, N, O, O, F, O, N, F}},
    {"delete", {F, N, F, F, F, O, N, F}},
};

std::vector<Row> Rows() {
  const std::array<std::string, 8> actors = {"reporter", "other_reporter", "agent",         "it_reporter",
                                             "manager",  "admin",          "foreign_admin", "platform"};
  std::vector<Row> rows;
  for (const auto& [action, outcomes] : kTable)
    for (std::size_t i = 0; i < actors.size(); ++i) rows.push_back({actors[i], action, outcomes[i]});
  return rows;
}

const Actor& ActorNamed(const std::string& name) {
  const Actors& a = TheActors();
  static const std::map<std::string, const Actor*> by_name = {{"reporter", &a.reporter},
                                                              {"other_reporter", &a.other_reporter},
                                                              {"agent", &a.agent},
                                                              {"it_reporter", &a.it_reporter},
                                                              {"manager", &a.manager},
                                                              {"admin", &a.admin},
                                                              {"foreign_admin", &a.foreign_admin},
                                                              {"platform", &a.platform}};
  return *by_name.at(name);
}

void PrintTo(const Row& r, std::ostream* os) { *os << r.actor << " " << r.action; }

class RoleTest : public ::testing::TestWithParam<Row> {};

TEST_P(RoleTest, ActionHasTheTablesOutcome) {
  const Row& row = GetParam();
  Outcome got = Actions().at(row.action)(ActorNamed(row.actor));
  EXPECT_EQ(got, row.expected) << row.actor << " " << row.action << ": got " << Name(got) << ", want "
                               << Name(row.expected);
}

INSTANTIATE_TEST_SUITE_P(EveryRoleAndAction, RoleTest, ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return info.param.actor + "_" + info.param.action;
                         });

}  // namespace
}  // namespace ticketd::domain::testing

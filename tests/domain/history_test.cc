// ChangesOf / IsAgentOnly: the audit trail's old -> new values per event.
#include "ticketd/domain/history.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "fixtures.h"
#include "ticketd/domain/overloaded.h"

namespace ticketd::domain::testing {
namespace {

const Actors& A = TheActors();

DomainEvent Event(EventPayload payload) { return DomainEvent{kTenant, kTicket, 9, A.agent.user_id, payload}; }

std::string Show(const HistoryValue& v) {
  return std::visit(Overloaded{[](std::nullptr_t) { return std::string("null"); },
                               [](const std::string& s) { return '"' + s + '"'; },
                               [](bool b) { return std::string(b ? "true" : "false"); },
                               [](std::int64_t i) { return std::to_string(i); }},
                    v);
}

// field -> "from -> to", in the order ChangesOf lists them.
std::vector<std::string> Render(const std::vector<FieldChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.field + ": " + Show(c.from) + " -> " + Show(c.to));
  return out;
}

bool Contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(History, CreationListsEverySetFieldFromNull) {
  CreateTicket c{Header(A.agent), "Printer", "jam", Priority::kHigh, TicketType::kServiceRequest, "hw"};
  c.assignee_id = A.agent.user_id;
  c.asset_id = MakeId(40);
  c.due_at = 0;
  TicketContext context = ContextWithAgent();
  context.next_number = 7;
  context.asset = AssetFacts{MakeId(40), kTenant};
  auto created = DecideTicket(InitialTicketState(), c, context).value();
  auto lines = Render(ChangesOf(InitialTicketState(), created[0]));
  for (const std::string& want :
       {std::string("number: null -> \"TKT-000007\""), std::string("subject: null -> \"Printer\""),
        std::string("description: null -> \"jam\""), std::string("status: null -> \"open\""),
        std::string("priority: null -> \"high\""), std::string("type: null -> \"service_request\""),
        std::string("category: null -> \"hw\""),
        "assignee_id: null -> \"" + A.agent.user_id.ToString() + "\"",
        "asset_id: null -> \"" + MakeId(40).ToString() + "\"",
        std::string("due_at: null -> \"1970-01-01T00:00:00.000Z\"")})
    EXPECT_TRUE(Contains(lines, want)) << want;
  for (const auto& change : ChangesOf(InitialTicketState(), created[0]))
    EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(change.from)) << change.field;
}

TEST(History, CreationOmitsUnsetOptionalFields) {
  CreateTicket c{Header(A.reporter), "Printer", ""};
  auto created = DecideTicket(InitialTicketState(), c, TicketContext{"TKT", 1}).value();
  std::map<std::string, int> fields;
  for (const auto& change : ChangesOf(InitialTicketState(), created[0])) ++fields[change.field];
  for (const char* absent : {"category", "assignee_id", "asset_id", "due_at"})
    EXPECT_FALSE(fields.contains(absent)) << absent;
  for (const char* present : {"number", "subject", "status", "priority", "type"})
    EXPECT_EQ(fields[present], 1) << present;
}

TEST(History, UpdateListsOldAndNewPerChangedField) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  state.ticket.asset_id = MakeId(40);
  TicketUpdated u;
  u.subject = "Printer on fire";
  u.description = "smoke";
  u.category = "hw";
  u.priority = Priority::kUrgent;
  u.due_at = Nullable<Timestamp>(86'400'000'000);
  u.asset_id = Nullable<Id>();
  EXPECT_EQ(Render(ChangesOf(state, Event(u))), (std::vector<std::string>{
                                                    "subject: \"Printer jams\" -> \"Printer on fire\"",
                                                    "description: \"third floor\" -> \"smoke\"",
                                                    "category: null -> \"hw\"",
                                                    "priority: \"medium\" -> \"urgent\"",
                                                    "due_at: null -> \"1970-01-02T00:00:00.000Z\"",
                                                    "asset_id: \"" + MakeId(40).ToString() + "\" -> null",
                                                }));
  TicketUpdated clear_category;
  clear_category.category = "";
  state.ticket.category = "hw";
  EXPECT_EQ(Render(ChangesOf(state, Event(clear_category))),
            std::vector<std::string>{"category: \"hw\" -> null"});
}

TEST(History, AssignmentStatusCommentAndDeletion) {
  TicketState state = TicketIn(TicketStatus::kInProgress, A.agent.user_id);
  const std::string agent = '"' + A.agent.user_id.ToString() + '"';
  const std::string admin = '"' + A.admin.user_id.ToString() + '"';
  EXPECT_EQ(Render(ChangesOf(state, Event(TicketAssigned{A.admin.user_id}))),
            std::vector<std::string>{"assignee_id: " + agent + " -> " + admin});
  EXPECT_EQ(Render(ChangesOf(state, Event(TicketAssigned{std::nullopt}))),
            std::vector<std::string>{"assignee_id: " + agent + " -> null"});
  EXPECT_EQ(Render(ChangesOf(TicketIn(TicketStatus::kOpen), Event(TicketAssigned{A.agent.user_id}))),
            std::vector<std::string>{"assignee_id: null -> " + agent});
  EXPECT_EQ(Render(ChangesOf(state,
                             Event(TicketStatusChanged{TicketStatus::kInProgress, TicketStatus::kResolved}))),
            std::vector<std::string>{"status: \"in_progress\" -> \"resolved\""});
  EXPECT_EQ(Render(ChangesOf(state, Event(CommentAdded{MakeId(5), "secret body", true}))),
            (std::vector<std::string>{"comment_id: null -> \"" + MakeId(5).ToString() + "\"",
                                      "internal: null -> true"}));
  EXPECT_EQ(Render(ChangesOf(state, Event(CommentAdded{MakeId(6), "hello", false}))).back(),
            "internal: null -> false");
  EXPECT_TRUE(ChangesOf(state, Event(TicketDeleted{state.ticket})).empty());
}

TEST(History, CommentBodiesNeverAppear) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  for (const auto& change : ChangesOf(state, Event(CommentAdded{MakeId(5), "secret body", true}))) {
    EXPECT_NE(change.field, "body");
    if (const auto* text = std::get_if<std::string>(&change.to)) {
      EXPECT_EQ(text->find("secret"), std::string::npos);
    }
  }
}

TEST(History, OnlyInternalCommentsAreAgentOnly) {
  EXPECT_TRUE(IsAgentOnly(Event(CommentAdded{MakeId(5), "secret", true})));
  EXPECT_FALSE(IsAgentOnly(Event(CommentAdded{MakeId(6), "hello", false})));
  EXPECT_FALSE(IsAgentOnly(Event(TicketStatusChanged{})));
  EXPECT_FALSE(IsAgentOnly(Event(TicketUpdated{})));
  EXPECT_FALSE(IsAgentOnly(Event(TicketAssigned{})));
  EXPECT_FALSE(IsAgentOnly(Event(TicketDeleted{})));
}

TEST(History, ReplayingAStreamGivesOneEntryPerChange) {
  // Decide and fold a whole lifecycle, collecting the history as the API does.
  TicketState state = InitialTicketState();
  auto step = [&](const TicketCommand& command) {
    auto r = DecideTicket(state, command, ContextWithAgent());
    EXPECT_TRUE(r.ok()) << r.error().message;
    std::vector<std::string> lines;
    for (const auto& e : r.value()) {
      for (auto& line : Render(ChangesOf(state, e))) lines.push_back(line);
      state = EvolveTicket(std::move(state), e);
    }
    return lines;
  };
  step(CreateTicket{Header(A.reporter), "VPN", "down"});
  EXPECT_EQ(step(ClaimTicket{Header(A.agent)}),
            (std::vector<std::string>{"assignee_id: null -> \"" + A.agent.user_id.ToString() + "\"",
                                      "status: \"open\" -> \"in_progress\""}));
  EXPECT_EQ(step(ChangeStatus{Header(A.agent), TicketStatus::kResolved}).size(), 1u);
  EXPECT_EQ(step(ChangeStatus{Header(A.reporter), TicketStatus::kClosed}),
            std::vector<std::string>{"status: \"resolved\" -> \"closed\""});
  EXPECT_EQ(state.ticket.version, 5);
}

}  // namespace
}  // namespace ticketd::domain::testing

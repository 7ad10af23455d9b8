#include "ticketd/domain/history.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace ticketd::domain::testing {
namespace {

TEST(History, ListsOldAndNewValues) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  DomainEvent status{kTenant, state.ticket.id, 9, TheActors().agent.user_id,
                     TicketStatusChanged{TicketStatus::kOpen, TicketStatus::kOnHold}};
  auto changes = ChangesOf(state, status);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field, "status");
  EXPECT_EQ(std::get<std::string>(changes[0].from), "open");
  EXPECT_EQ(std::get<std::string>(changes[0].to), "on_hold");

  TicketUpdated update;
  update.priority = Priority::kUrgent;
  update.due_at = std::optional<Timestamp>(0);
  changes = ChangesOf(state, DomainEvent{kTenant, state.ticket.id, 9, {}, update});
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(std::get<std::string>(changes[0].from), "medium");
  EXPECT_EQ(std::get<std::string>(changes[0].to), "urgent");
  EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(changes[1].from));
  EXPECT_EQ(std::get<std::string>(changes[1].to), "1970-01-01T00:00:00.000Z");
}

TEST(History, CreationListsTheInitialFieldsAndInternalCommentsAreAgentOnly) {
  CreateTicket c{Header(TheActors().reporter), "Printer", "jam"};
  auto created = DecideTicket(InitialTicketState(), c, TicketContext{"TKT", 7}).value();
  auto changes = ChangesOf(InitialTicketState(), created[0]);
  bool saw_number = false;
  for (const auto& change : changes) {
    EXPECT_TRUE(std::holds_alternative<std::nullptr_t>(change.from));
    if (change.field == "number") saw_number = std::get<std::string>(change.to) == "TKT-000007";
  }
  EXPECT_TRUE(saw_number);
  DomainEvent internal{kTenant, MakeId(100), 9, {}, CommentAdded{MakeId(5), "secret", true}};
  DomainEvent open{kTenant, MakeId(100), 9, {}, CommentAdded{MakeId(6), "hello", false}};
  EXPECT_TRUE(IsAgentOnly(internal));
  EXPECT_FALSE(IsAgentOnly(open));
  for (const auto& change : ChangesOf(TicketIn(TicketStatus::kOpen), internal))
    EXPECT_NE(change.field, "body");
}

}  // namespace
}  // namespace ticketd::domain::testing

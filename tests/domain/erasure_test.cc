// GDPR erasure in the core: who may erase, idempotence, what the fold shows,
// and which commands an erased ticket refuses (its data key is destroyed).
#include <gtest/gtest.h>

#include "fixtures.h"
#include "ticketd/domain/history.h"

namespace ticketd::domain::testing {
namespace {

const Actors& A = TheActors();
using Decision = Result<std::vector<DomainEvent>, DomainError>;

TicketState Erased(TicketState state) {
  Decision r = DecideTicket(state, EraseTicket{Header(A.admin)}, {});
  EXPECT_TRUE(r.ok());
  return Fold(std::move(state), r.value());
}

TEST(EraseTicket, OnlyTenantAdminsMayErase) {
  const TicketState open = TicketIn(TicketStatus::kOpen);
  for (const Actor* actor : {&A.reporter, &A.agent, &A.it_reporter, &A.manager}) {
    Decision r = DecideTicket(open, EraseTicket{Header(*actor)}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  }
  Decision platform = DecideTicket(open, EraseTicket{Header(A.platform)}, {});
  ASSERT_FALSE(platform.ok());
  EXPECT_EQ(platform.error().code, ErrorCode::kForbidden);
  Decision foreign = DecideTicket(open, EraseTicket{Header(A.foreign_admin)}, {});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);  // another tenant's ticket is not theirs to see
}

TEST(EraseTicket, UnknownTicketIsNotFound) {
  Decision r = DecideTicket(InitialTicketState(), EraseTicket{Header(A.admin)}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(EraseTicket, EmitsOneEventAndTheFoldShowsTheMarker) {
  const TicketState open = TicketIn(TicketStatus::kInProgress, A.agent.user_id);
  Decision r = DecideTicket(open, EraseTicket{Header(A.admin)}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 1u);
  EXPECT_TRUE(std::holds_alternative<TicketErased>(r.value()[0].payload));
  EXPECT_EQ(EventTypeName(r.value()[0].payload), "ticket.erased");
  const TicketState after = Fold(open, r.value());
  EXPECT_EQ(after.ticket.subject, kErasedText);
  EXPECT_EQ(after.ticket.description, kErasedText);
  ASSERT_TRUE(after.ticket.erased_at.has_value());
  EXPECT_EQ(after.ticket.version, open.ticket.version + 1);
  // Everything that is not personal data stays.
  EXPECT_EQ(after.ticket.status, TicketStatus::kInProgress);
  EXPECT_EQ(after.ticket.assignee_id, A.agent.user_id);
  EXPECT_EQ(after.ticket.number_text, open.ticket.number_text);
}

TEST(EraseTicket, SecondErasureChangesNothing) {
  const TicketState erased = Erased(TicketIn(TicketStatus::kOpen));
  Decision again = DecideTicket(erased, EraseTicket{Header(A.admin)}, {});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value().empty());
}

TEST(EraseTicket, ADeletedTicketCanStillBeErased) {
  TicketState state = TicketIn(TicketStatus::kOpen);
  Decision deleted = DecideTicket(state, DeleteTicket{Header(A.admin)}, {});
  ASSERT_TRUE(deleted.ok());
  state = Fold(state, deleted.value());
  ASSERT_EQ(state.phase, TicketState::Phase::kDeleted);
  state = Erased(state);
  EXPECT_EQ(state.phase, TicketState::Phase::kDeleted);
  EXPECT_EQ(state.ticket.subject, kErasedText);
}

TEST(EraseTicket, NewTextIsRefusedOtherChangesAreNot) {
  const TicketState erased = Erased(TicketIn(TicketStatus::kOpen));
  UpdateTicket subject{Header(A.agent)};
  subject.subject = "new subject";
  Decision r = DecideTicket(erased, subject, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kSubjectErased);

  Decision comment = DecideTicket(erased, AddComment{Header(A.agent), MakeId(70), "hello", false}, {});
  ASSERT_FALSE(comment.ok());
  EXPECT_EQ(comment.error().code, ErrorCode::kSubjectErased);

  ChangeStatus with_comment{Header(A.agent), TicketStatus::kInProgress};
  with_comment.comment = "starting";
  Decision status_comment = DecideTicket(erased, with_comment, {});
  ASSERT_FALSE(status_comment.ok());
  EXPECT_EQ(status_comment.error().code, ErrorCode::kSubjectErased);

  Decision status = DecideTicket(erased, ChangeStatus{Header(A.agent), TicketStatus::kInProgress}, {});
  EXPECT_TRUE(status.ok());
  UpdateTicket priority{Header(A.agent)};
  priority.priority = Priority::kUrgent;
  EXPECT_TRUE(DecideTicket(erased, priority, {}).ok());
}

TEST(EraseTicket, HistoryShowsTheTextGoingToTheMarker) {
  const TicketState open = TicketIn(TicketStatus::kOpen);
  Decision r = DecideTicket(open, EraseTicket{Header(A.admin)}, {});
  ASSERT_TRUE(r.ok());
  const auto changes = ChangesOf(open, r.value()[0]);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].field, "subject");
  EXPECT_EQ(changes[0].from, HistoryValue(open.ticket.subject));
  EXPECT_EQ(changes[0].to, HistoryValue(std::string(kErasedText)));
  EXPECT_EQ(changes[1].field, "description");
}

// ---- users ----

TenantState Apply(TenantState state, const Decision& r) {
  EXPECT_TRUE(r.ok());
  for (const auto& e : r.value()) state = EvolveTenant(std::move(state), e);
  return state;
}

TenantState TenantWithUser() {
  TenantState t = Apply(InitialTenantState(),
                        DecideDirectory(InitialTenantState(), CreateTenant{A.platform, 1, kTenant, "Acme", ""}, {}));
  CreateUser user{A.admin, 2, kTenant, MakeId(50), "Grace", "Grace@Acme.test", Role::kReporter, ""};
  return Apply(t, DecideDirectory(t, user, {}));
}

TEST(EraseUser, ErasesNameAndEmailAndFreesTheAddress) {
  TenantState t = TenantWithUser();
  const auto before_version = t.version;
  Decision r = DecideDirectory(t, EraseUser{A.admin, 3, kTenant, MakeId(50)}, {});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().size(), 1u);
  EXPECT_EQ(EventTypeName(r.value()[0].payload), "user.erased");
  t = Apply(t, r);
  EXPECT_EQ(t.version, before_version + 1);
  const User& u = t.users.at(MakeId(50));
  EXPECT_EQ(u.name, kErasedText);
  EXPECT_EQ(u.email, kErasedText);
  EXPECT_EQ(u.erased_at, Timestamp{3});
  CreateUser again{A.admin, 4, kTenant, MakeId(51), "Grace", "grace@acme.test", Role::kReporter, ""};
  EXPECT_TRUE(DecideDirectory(t, again, {}).ok());  // no longer taken
  Decision twice = DecideDirectory(t, EraseUser{A.admin, 5, kTenant, MakeId(50)}, {});
  ASSERT_TRUE(twice.ok());
  EXPECT_TRUE(twice.value().empty());
}

TEST(EraseUser, RulesForWhoAndWhat) {
  const TenantState t = TenantWithUser();
  for (const Actor* actor : {&A.reporter, &A.agent, &A.manager, &A.platform}) {
    Decision r = DecideDirectory(t, EraseUser{*actor, 3, kTenant, MakeId(50)}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  }
  Decision unknown = DecideDirectory(t, EraseUser{A.admin, 3, kTenant, MakeId(59)}, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  Decision foreign = DecideDirectory(t, EraseUser{A.foreign_admin, 3, kTenant, MakeId(50)}, {});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace ticketd::domain::testing

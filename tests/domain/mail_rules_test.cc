// The recipient table of MAIL.md, exhaustively: every ticket event kind x
// who acts (reporter, assignee, other staff, reporter who is staff) x
// assignee present or not x notifications on/off.
#include "ticketd/domain/mail_rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace ticketd::domain {
namespace {

Id MakeId(std::uint8_t n) {
  Id id;
  id.bytes[15] = n;
  return id;
}

const Id kReporter = MakeId(1), kAgent = MakeId(2), kAdmin = MakeId(3), kOther = MakeId(4);

MailFacts Facts(std::optional<Id> assignee = std::nullopt, bool enabled = true, Id reporter = kReporter) {
  MailFacts facts;
  facts.reporter_id = reporter;
  facts.assignee_id = assignee;
  facts.staff = {kAgent, kAdmin};
  facts.notifications_enabled = enabled;
  return facts;
}

DomainEvent Event(Id actor, EventPayload payload) {
  DomainEvent event;
  event.actor_id = actor;
  event.payload = std::move(payload);
  return event;
}

std::set<Id> Recipients(const std::vector<PlannedMail>& mails) {
  std::set<Id> ids;
  for (const PlannedMail& m : mails) ids.insert(m.recipient);
  EXPECT_EQ(ids.size(), mails.size()) << "a recipient twice";
  return ids;
}

TicketCreated Created(Id reporter) {
  TicketCreated e;
  e.reporter_id = reporter;
  return e;
}

TEST(MailRules, CreatedMailsReceiptAndEveryStaffMember) {
  auto mails = PlanTicketMails(Event(kReporter, Created(kReporter)), Facts());
  EXPECT_EQ(Recipients(mails), (std::set<Id>{kReporter, kAgent, kAdmin}));
  for (const auto& m : mails) EXPECT_EQ(m.kind, MailTemplate::kTicketCreated);
}

TEST(MailRules, StaffReporterGetsExactlyTheReceipt) {
  auto mails = PlanTicketMails(Event(kAgent, Created(kAgent)), Facts(std::nullopt, true, kAgent));
  EXPECT_EQ(Recipients(mails), (std::set<Id>{kAgent, kAdmin}));
}

TEST(MailRules, CreatedOnBehalfOfSomeoneSkipsTheActingStaff) {
  auto mails = PlanTicketMails(Event(kAdmin, Created(kReporter)), Facts());
  EXPECT_EQ(Recipients(mails), (std::set<Id>{kReporter, kAgent}));
}

TEST(MailRules, AssignedMailsTheNewAssigneeUnlessTheyActed) {
  EXPECT_EQ(Recipients(PlanTicketMails(Event(kAdmin, TicketAssigned{kAgent}), Facts(kAgent))), std::set<Id>{kAgent});
  EXPECT_TRUE(PlanTicketMails(Event(kAgent, TicketAssigned{kAgent}), Facts(kAgent)).empty()) << "a claim";
  EXPECT_TRUE(PlanTicketMails(Event(kAdmin, TicketAssigned{std::nullopt}), Facts()).empty()) << "unassigned";
  auto mails = PlanTicketMails(Event(kAdmin, TicketAssigned{kAgent}), Facts(kAgent));
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].kind, MailTemplate::kTicketAssigned);
}

TEST(MailRules, EveryStatusChangeMailsTheReporterWithItsTemplate) {
  const std::pair<TicketStatus, MailTemplate> table[] = {
      {TicketStatus::kOpen, MailTemplate::kStatusChanged},       {TicketStatus::kInProgress, MailTemplate::kStatusChanged},
      {TicketStatus::kOnHold, MailTemplate::kStatusChanged},     {TicketStatus::kResolved, MailTemplate::kTicketResolved},
      {TicketStatus::kClosed, MailTemplate::kTicketClosed},      {TicketStatus::kCancelled, MailTemplate::kStatusChanged},
  };
  for (const auto& [to, kind] : table) {
    for (Id actor : {kAgent, kAdmin, kOther}) {
      auto mails = PlanTicketMails(Event(actor, TicketStatusChanged{TicketStatus::kOpen, to}), Facts(kAgent));
      ASSERT_EQ(mails.size(), 1u) << ToString(to);
      EXPECT_EQ(mails[0].recipient, kReporter);
      EXPECT_EQ(mails[0].kind, kind) << ToString(to);
    }
    EXPECT_TRUE(PlanTicketMails(Event(kReporter, TicketStatusChanged{TicketStatus::kResolved, to}), Facts()).empty())
        << "the reporter's own close or reopen mails nobody";
  }
}

TEST(MailRules, StaffCommentGoesToTheReporter) {
  for (Id actor : {kAgent, kAdmin, kOther})
    for (auto assignee : {std::optional<Id>{}, std::optional<Id>{kAgent}})
      EXPECT_EQ(Recipients(PlanTicketMails(Event(actor, CommentAdded{MakeId(9), "hi", false}), Facts(assignee))),
                std::set<Id>{kReporter});
}

TEST(MailRules, ReporterCommentGoesToTheAssigneeElseAllStaff) {
  EXPECT_EQ(Recipients(PlanTicketMails(Event(kReporter, CommentAdded{MakeId(9), "hi", false}), Facts(kAgent))),
            std::set<Id>{kAgent});
  EXPECT_EQ(Recipients(PlanTicketMails(Event(kReporter, CommentAdded{MakeId(9), "hi", false}), Facts())),
            (std::set<Id>{kAgent, kAdmin}));
}

TEST(MailRules, StaffReporterCommentingSkipsThemself) {
  auto mails = PlanTicketMails(Event(kAgent, CommentAdded{MakeId(9), "hi", false}), Facts(std::nullopt, true, kAgent));
  EXPECT_EQ(Recipients(mails), std::set<Id>{kAdmin});
}

TEST(MailRules, InternalCommentsMailNobodyAndNeverTheReporter) {
  for (Id actor : {kReporter, kAgent, kAdmin})
    for (auto assignee : {std::optional<Id>{}, std::optional<Id>{kAgent}})
      EXPECT_TRUE(PlanTicketMails(Event(actor, CommentAdded{MakeId(9), "secret", true}), Facts(assignee)).empty());
}

TEST(MailRules, EventsWithoutMail) {
  EXPECT_TRUE(PlanTicketMails(Event(kAgent, TicketUpdated{}), Facts()).empty());
  EXPECT_TRUE(PlanTicketMails(Event(kAgent, TicketErased{}), Facts()).empty());
  EXPECT_TRUE(PlanTicketMails(Event(kAgent, TicketDeleted{}), Facts()).empty());
  EXPECT_TRUE(PlanTicketMails(Event(kAdmin, UserErased{kReporter}), Facts()).empty()) << "directory events";
}

TEST(MailRules, NotificationsOffRecordsEveryMailAsDisabled) {
  auto mails = PlanTicketMails(Event(kReporter, Created(kReporter)), Facts(std::nullopt, false));
  ASSERT_EQ(mails.size(), 3u);
  for (const auto& m : mails) EXPECT_EQ(m.dropped, MailDropReason::kDisabled);
  for (const auto& m : PlanTicketMails(Event(kReporter, Created(kReporter)), Facts())) EXPECT_FALSE(m.dropped);
}

TEST(MailRules, DigestGoesToEveryStaffMember) {
  auto mails = PlanDigestMails(Facts());
  EXPECT_EQ(Recipients(mails), (std::set<Id>{kAgent, kAdmin}));
  for (const auto& m : mails) EXPECT_EQ(m.kind, MailTemplate::kDigest);
}

// WORKFLOW.md escalate.notify: the system's event (no actor) mails each
// named audience, everyone once; a breach alone mails nobody.
TEST(MailRules, EscalationMailsTheNamedAudiencesOnce) {
  const Id kTeamMate = MakeId(5), kManager = MakeId(6);
  MailFacts facts = Facts(kAgent);
  facts.team = {kAgent, kTeamMate};
  facts.managers = {kManager};
  auto plan = [&](std::vector<SlaNotify> notify, const MailFacts& f) {
    return PlanTicketMails(Event(Id{}, SlaTicketEvent{SlaEscalated{SlaTarget::kResolution, std::nullopt, notify}}), f);
  };
  EXPECT_EQ(Recipients(plan({SlaNotify::kAssignee}, facts)), std::set<Id>{kAgent});
  EXPECT_EQ(Recipients(plan({SlaNotify::kTeam}, facts)), (std::set<Id>{kAgent, kTeamMate}));
  EXPECT_EQ(Recipients(plan({SlaNotify::kManagers}, facts)), std::set<Id>{kManager});
  auto all = plan({SlaNotify::kAssignee, SlaNotify::kTeam, SlaNotify::kManagers}, facts);
  EXPECT_EQ(Recipients(all), (std::set<Id>{kAgent, kTeamMate, kManager}));
  for (const auto& m : all) EXPECT_EQ(m.kind, MailTemplate::kSlaEscalated);
  EXPECT_TRUE(plan({SlaNotify::kAssignee}, Facts()).empty()) << "no assignee: nobody";
  EXPECT_TRUE(plan({}, facts).empty()) << "a priority raise alone";
  EXPECT_TRUE(PlanTicketMails(Event(Id{}, SlaTicketEvent{SlaBreached{}}), facts).empty()) << "the breach itself";
  MailFacts off = facts;
  off.notifications_enabled = false;
  for (const auto& m : plan({SlaNotify::kManagers}, off)) EXPECT_EQ(m.dropped, MailDropReason::kDisabled);
}

TEST(MailRules, TemplateNamesRoundTrip) {
  for (const auto& row : kMailTemplates) EXPECT_EQ(ParseMailTemplate(ToString(row.kind)), row.kind);
  EXPECT_FALSE(ParseMailTemplate("ticket.unknown"));
}

}  // namespace
}  // namespace ticketd::domain

// The email-in decision (MAIL.md "Email in"), step by step in the contract's
// order, against an in-memory tenant: one reporter, one agent, one other
// employee, tickets in chosen statuses.
#include "ticketd/domain/inbound_mail.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "fixtures.h"
#include "ticketd/domain/ticket.h"

namespace ticketd::domain {
namespace {

using testing::MakeId;

const Id kReporter = MakeId(1);
const Id kAgent = MakeId(2);
const Id kColleague = MakeId(3);
const Id kOpenTicket = MakeId(10);
const Id kResolvedTicket = MakeId(11);
const Id kOtherTenantTicket = MakeId(12, 2);
const MailIds kIds{MakeId(50), MakeId(51), MakeId(52)};
constexpr std::string_view kOwn = "helpdesk@help.example.com";

class Tenant final : public MailLookups {
 public:
  Tenant() {
    tickets_[kOpenTicket] = {kOpenTicket, kReporter, TicketStatus::kOpen};
    tickets_[kResolvedTicket] = {kResolvedTicket, kReporter, TicketStatus::kResolved};
    numbers_["ACME-000001"] = kOpenTicket;
    numbers_["ACME-000002"] = kResolvedTicket;
    users_["alice@example.com"] = {kReporter, false};
    users_["agent@example.com"] = {kAgent, true};
    users_["bob@example.com"] = {kColleague, false};
  }
  std::optional<MailTicket> TicketById(const Id& id) const override {
    auto it = tickets_.find(id);
    return it == tickets_.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<MailTicket> TicketByNumber(std::string_view number) const override {
    std::string upper(number);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto it = numbers_.find(upper);
    return it == numbers_.end() ? std::nullopt : TicketById(it->second);
  }
  std::optional<MailSender> UserByEmail(std::string_view address) const override {
    std::string lower(address);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = users_.find(lower);
    return it == users_.end() ? std::nullopt : std::optional(it->second);
  }
  bool HasComment(const Id& ticket_id, const Id& comment_id) const override {
    return comments_.contains({ticket_id, comment_id});
  }

  std::map<Id, MailTicket> tickets_;
  std::map<std::string, Id> numbers_;
  std::map<std::string, MailSender> users_;
  std::set<std::pair<Id, Id>> comments_;
};

InboundMail Mail(std::string from, std::string subject = "Printer jams", std::string text = "It jams.") {
  InboundMail mail;
  mail.message_id = "CAF123@mail.gmail.com";
  mail.from = std::move(from);
  mail.subject = std::move(subject);
  mail.text = std::move(text);
  return mail;
}

std::string ThreadRoot(const Id& ticket) { return "t." + ticket.ToString() + "@help.example.com"; }

// A copy of the decision's alternative T (a failure and T{} when it is another).
template <class T>
T As(const MailDecision& decision) {
  EXPECT_TRUE(std::holds_alternative<T>(decision)) << "decision index " << decision.index();
  const T* value = std::get_if<T>(&decision);
  return value ? *value : T{};
}

// ---- 1. loops ----
TEST(InboundMailDecision, AutoSubmittedOtherThanNoIsIgnored) {
  Tenant tenant;
  for (const char* value : {"auto-replied", "auto-generated", "Auto-Replied; owner-email=\"x@y\"", "auto-notified"}) {
    InboundMail mail = Mail("alice@example.com");
    mail.auto_submitted = value;
    EXPECT_EQ(As<IgnoreMail>(DecideInboundMail(mail, kIds, kOwn, tenant)).reason, "auto_submitted") << value;
  }
  InboundMail human = Mail("alice@example.com");
  human.auto_submitted = " No ";
  EXPECT_TRUE(std::holds_alternative<TicketFromMail>(DecideInboundMail(human, kIds, kOwn, tenant)));
}

TEST(InboundMailDecision, BulkJunkListPrecedenceIsIgnored) {
  Tenant tenant;
  for (const char* value : {"bulk", "JUNK", " list "}) {
    InboundMail mail = Mail("alice@example.com");
    mail.precedence = value;
    EXPECT_EQ(As<IgnoreMail>(DecideInboundMail(mail, kIds, kOwn, tenant)).reason, "precedence") << value;
  }
  InboundMail first_class = Mail("alice@example.com");
  first_class.precedence = "first-class";
  EXPECT_TRUE(std::holds_alternative<TicketFromMail>(DecideInboundMail(first_class, kIds, kOwn, tenant)));
}

TEST(InboundMailDecision, MailFromTicketdItselfIsIgnoredBeforeAnythingElse) {
  Tenant tenant;
  tenant.users_["helpdesk@help.example.com"] = {kAgent, true};  // even if a user had that address
  InboundMail mail = Mail("HelpDesk@Help.Example.com", "[ACME-000001] Printer jams");
  EXPECT_EQ(As<IgnoreMail>(DecideInboundMail(mail, kIds, kOwn, tenant)).reason, "own_address");
  // No --mail-from: no own address to compare with.
  EXPECT_TRUE(std::holds_alternative<CommentFromMail>(DecideInboundMail(mail, kIds, "", tenant)));
}

TEST(InboundMailDecision, IgnoredEvenWhenPostedBefore) {
  Tenant tenant;
  tenant.tickets_[kIds.new_ticket] = {kIds.new_ticket, kReporter, TicketStatus::kOpen};
  InboundMail mail = Mail("alice@example.com");
  mail.precedence = "bulk";
  EXPECT_TRUE(std::holds_alternative<IgnoreMail>(DecideInboundMail(mail, kIds, kOwn, tenant)));
}

// ---- 2. repeats ----
TEST(InboundMailDecision, RepeatOfANewTicketAnswersTheTicket) {
  Tenant tenant;
  tenant.tickets_[kIds.new_ticket] = {kIds.new_ticket, kReporter, TicketStatus::kOpen};
  const RepeatedMail repeat = As<RepeatedMail>(DecideInboundMail(Mail("alice@example.com"), kIds, kOwn, tenant));
  EXPECT_EQ(repeat.action, MailAction::kTicket);
  EXPECT_EQ(repeat.ticket_id, kIds.new_ticket);
  EXPECT_EQ(repeat.comment_id, std::nullopt);
}

TEST(InboundMailDecision, RepeatOfACommentAndOfAReopenAnswerTheFirstAction) {
  Tenant tenant;
  InboundMail mail = Mail("alice@example.com", "Re: [ACME-000001] Printer jams");
  tenant.comments_.insert({kOpenTicket, kIds.comment});
  const RepeatedMail comment = As<RepeatedMail>(DecideInboundMail(mail, kIds, kOwn, tenant));
  EXPECT_EQ(comment.action, MailAction::kComment);
  EXPECT_EQ(comment.ticket_id, kOpenTicket);
  EXPECT_EQ(comment.comment_id, kIds.comment);

  Tenant reopened;
  reopened.tickets_[kResolvedTicket].status = TicketStatus::kOpen;  // the first post reopened it
  reopened.comments_.insert({kResolvedTicket, kIds.reopen_comment});
  const RepeatedMail reopen = As<RepeatedMail>(DecideInboundMail(Mail("alice@example.com", "Re: [ACME-000002] x"), kIds, kOwn, reopened));
  EXPECT_EQ(reopen.action, MailAction::kReopen);
  EXPECT_EQ(reopen.comment_id, kIds.reopen_comment);
}

TEST(InboundMailDecision, RepeatAnsweredEvenIfTheSenderIsGoneSince) {
  Tenant tenant;
  tenant.comments_.insert({kOpenTicket, kIds.comment});
  tenant.users_.erase("alice@example.com");
  EXPECT_TRUE(std::holds_alternative<RepeatedMail>(
      DecideInboundMail(Mail("alice@example.com", "[ACME-000001]"), kIds, kOwn, tenant)));
}

// ---- 3. replies ----
TEST(InboundMailDecision, InReplyToOurMailMakesACommentWithoutTheQuote) {
  Tenant tenant;
  InboundMail mail = Mail("alice@example.com", "Re: Printer jams",
                          "Still jams.\n\nOn Tue, Dec 1, 2026 at 9:00 AM Helpdesk <h@x> wrote:\n> resolved\n");
  mail.in_reply_to = {"t." + kOpenTicket.ToString() + ".e." + MakeId(77).ToString() + ".r." + kReporter.ToString() +
                      "@help.example.com"};
  const CommentFromMail comment = As<CommentFromMail>(DecideInboundMail(mail, kIds, kOwn, tenant));
  EXPECT_EQ(comment.ticket_id, kOpenTicket);
  EXPECT_EQ(comment.author_id, kReporter);
  EXPECT_EQ(comment.comment_id, kIds.comment);
  EXPECT_EQ(comment.body, "Still jams.");
  EXPECT_FALSE(comment.reopen);
}

TEST(InboundMailDecision, ReferencesNewestFirstAndForeignIdsSkipped) {
  Tenant tenant;
  InboundMail mail = Mail("alice@example.com", "Re: x");
  mail.references = {ThreadRoot(kOpenTicket), "CAF999@mail.gmail.com", ThreadRoot(kResolvedTicket)};
  EXPECT_EQ(As<CommentFromMail>(DecideInboundMail(mail, kIds, kOwn, tenant)).ticket_id, kResolvedTicket);
}

TEST(InboundMailDecision, ReplyAddressTagInRecipientsNamesTheTicket) {
  Tenant tenant;
  InboundMail mail = Mail("alice@example.com", "no number here");
  mail.recipients = {"someone@example.com", "helpdesk+t." + kOpenTicket.ToString() + "@help.example.com"};
  EXPECT_EQ(As<CommentFromMail>(DecideInboundMail(mail, kIds, kOwn, tenant)).ticket_id, kOpenTicket);
}

TEST(InboundMailDecision, NumberInSubjectAnyCase) {
  Tenant tenant;
  EXPECT_EQ(As<CommentFromMail>(DecideInboundMail(Mail("alice@example.com", "AW: [acme-000001] Printer"), kIds,
                                                  kOwn, tenant))
                .ticket_id,
            kOpenTicket);
  EXPECT_EQ(As<CommentFromMail>(DecideInboundMail(
                                    Mail("alice@example.com", "Re: [urgent] [ACME-000002] Printer"), kIds, kOwn, tenant))
                .ticket_id,
            kResolvedTicket);
}

TEST(InboundMailDecision, AnotherTenantsTicketIsNotFound) {
  Tenant tenant;  // kOtherTenantTicket is not among this tenant's tickets
  InboundMail mail = Mail("alice@example.com", "Re: Printer jams");
  mail.in_reply_to = {ThreadRoot(kOtherTenantTicket)};
  mail.recipients = {"helpdesk+t." + kOtherTenantTicket.ToString() + "@help.example.com"};
  const TicketFromMail created = As<TicketFromMail>(DecideInboundMail(mail, kIds, kOwn, tenant));
  EXPECT_EQ(created.ticket_id, kIds.new_ticket);
  EXPECT_EQ(created.subject, "Re: Printer jams");
}

TEST(InboundMailDecision, UnknownNumberMakesANewTicket) {
  Tenant tenant;
  EXPECT_TRUE(std::holds_alternative<TicketFromMail>(
      DecideInboundMail(Mail("alice@example.com", "[OTHER-000001] x"), kIds, kOwn, tenant)));
}

TEST(InboundMailDecision, StaffMayCommentOnAnyTicketOfTheTenant) {
  Tenant tenant;
  const CommentFromMail comment = As<CommentFromMail>(DecideInboundMail(Mail("Agent@Example.com", "[ACME-000002]"), kIds, kOwn, tenant));
  EXPECT_EQ(comment.author_id, kAgent);
  EXPECT_FALSE(comment.reopen);  // staff replying to a resolved ticket does not reopen it
  EXPECT_EQ(comment.comment_id, kIds.comment);
}

TEST(InboundMailDecision, ReporterReplyToResolvedTicketReopens) {
  Tenant tenant;
  const CommentFromMail comment = As<CommentFromMail>(DecideInboundMail(Mail("alice@example.com", "Re: [ACME-000002] x"), kIds, kOwn, tenant));
  EXPECT_TRUE(comment.reopen);
  EXPECT_EQ(comment.comment_id, kIds.reopen_comment);
}

TEST(InboundMailDecision, ReporterReplyToOtherStatusesOnlyComments) {
  for (TicketStatus status : {TicketStatus::kOpen, TicketStatus::kInProgress, TicketStatus::kOnHold,
                              TicketStatus::kClosed, TicketStatus::kCancelled}) {
    Tenant tenant;
    tenant.tickets_[kResolvedTicket].status = status;
    const CommentFromMail comment = As<CommentFromMail>(DecideInboundMail(Mail("alice@example.com", "[ACME-000002]"), kIds, kOwn, tenant));
    EXPECT_FALSE(comment.reopen) << static_cast<int>(status);
  }
}

TEST(InboundMailDecision, OtherEmployeeOrStrangerReplyingIsUnknownSender) {
  Tenant tenant;
  EXPECT_TRUE(std::holds_alternative<UnknownSender>(
      DecideInboundMail(Mail("bob@example.com", "Re: [ACME-000001] x"), kIds, kOwn, tenant)));
  EXPECT_EQ(As<UnknownSender>(DecideInboundMail(Mail("mallory@evil.test", "Re: [ACME-000001] x"), kIds, kOwn, tenant))
                .address,
            "mallory@evil.test");
}

TEST(InboundMailDecision, ReplyThatOnlyQuotesGetsAPlaceholderBody) {
  Tenant tenant;
  EXPECT_EQ(As<CommentFromMail>(
                DecideInboundMail(Mail("alice@example.com", "[ACME-000001]", "> old text\n"), kIds, kOwn, tenant))
                .body,
            "(no text)");
}

// ---- 4. new tickets ----
TEST(InboundMailDecision, KnownSenderMakesATicketWithSubjectAndText) {
  Tenant tenant;
  const TicketFromMail created = As<TicketFromMail>(
      DecideInboundMail(Mail("Bob@Example.COM", "Monitor\tflickers\r\n again", "Since Monday.\r\nHelp!"), kIds, kOwn,
                        tenant));
  EXPECT_EQ(created.ticket_id, kIds.new_ticket);
  EXPECT_EQ(created.reporter_id, kColleague);
  EXPECT_EQ(created.subject, "Monitor flickers again");
  EXPECT_EQ(created.description, "Since Monday.\nHelp!");
}

TEST(InboundMailDecision, EmptySubjectGetsAPlaceholder) {
  Tenant tenant;
  EXPECT_EQ(As<TicketFromMail>(DecideInboundMail(Mail("bob@example.com", "  ", ""), kIds, kOwn, tenant)).subject,
            "(no subject)");
}

TEST(InboundMailDecision, UnknownSenderMakesNothing) {
  Tenant tenant;
  EXPECT_TRUE(
      std::holds_alternative<UnknownSender>(DecideInboundMail(Mail("stranger@example.org"), kIds, kOwn, tenant)));
  EXPECT_TRUE(std::holds_alternative<UnknownSender>(DecideInboundMail(Mail(""), kIds, kOwn, tenant)));
}

// ---- text fitting ----
TEST(InboundMailText, OneLineDropsControlsAndCutsAtCodePoints) {
  EXPECT_EQ(FitOneLine("a\x01" "b\n\nc", 10), "ab c");
  EXPECT_EQ(FitOneLine("\xC3\xA4\xC3\xB6\xC3\xBC", 2), "\xC3\xA4\xC3\xB6");
  EXPECT_EQ(FitOneLine(std::string(300, 'x'), kMaxSubjectChars).size(), kMaxSubjectChars);
}

TEST(InboundMailText, MultiLineKeepsLinesAndTabs) {
  EXPECT_EQ(FitMultiLine("a\r\n\tb\x07\r\nc", 100), "a\n\tb\nc");
  EXPECT_EQ(FitMultiLine("\xE2\x82\xAC\xE2\x82\xAC", 1), "\xE2\x82\xAC");
  EXPECT_EQ(FitMultiLine("\xE2\x82", 5), "");  // a cut-off code point is dropped
}

}  // namespace
}  // namespace ticketd::domain

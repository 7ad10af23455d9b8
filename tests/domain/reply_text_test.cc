// Quoted-text removal: the common clients' quoting styles, one case each.
#include "ticketd/domain/reply_text.h"

#include <gtest/gtest.h>

namespace ticketd::domain {
namespace {

TEST(ReplyText, GmailAttributionCutsTheQuote) {
  EXPECT_EQ(StripQuotedReply("Still broken.\r\n\r\nOn Tue, Dec 1, 2026 at 9:14 AM Helpdesk <help@x.com> wrote:\r\n"
                             "> Your ticket was resolved.\r\n"),
            "Still broken.");
}

TEST(ReplyText, WrappedAttributionOverTwoLines) {
  EXPECT_EQ(StripQuotedReply("Thanks!\n\nOn Tue, Dec 1, 2026 at 9:14 AM Helpdesk Team of ACME <\n"
                             "help@x.com> wrote:\n\nold text\n"),
            "Thanks!");
}

TEST(ReplyText, AppleMailAttribution) {
  EXPECT_EQ(StripQuotedReply("Works now.\n\n> On 1 Dec 2026, at 09:14, Helpdesk <help@x.com> wrote:\n> \n> old\n"),
            "Works now.");
  EXPECT_EQ(StripQuotedReply("Works now.\n\nOn 1 Dec 2026, at 09:14, Helpdesk <help@x.com> wrote:\n\nold\n"),
            "Works now.");
}

TEST(ReplyText, ThunderbirdAttribution) {
  EXPECT_EQ(StripQuotedReply("Fine.\n\nOn 12/1/26 9:14 AM, Helpdesk wrote:\n> old\n"), "Fine.");
}

TEST(ReplyText, OutlookOriginalMessage) {
  EXPECT_EQ(StripQuotedReply("See attached.\r\n\r\n-----Original Message-----\r\nFrom: Helpdesk\r\nSent: ...\r\n"),
            "See attached.");
}

TEST(ReplyText, OutlookHeaderBlockAndRule) {
  EXPECT_EQ(StripQuotedReply("Yes please.\n\nFrom: Helpdesk <help@x.com>\nSent: Tuesday, December 1, 2026 9:14 AM\n"
                             "To: Alice\nSubject: [ACME-000001] Printer\n\nold\n"),
            "Yes please.");
  EXPECT_EQ(StripQuotedReply("Yes.\n________________________________\nFrom: Helpdesk\nSent: x\n"), "Yes.");
}

TEST(ReplyText, FromLineWithoutHeaderBlockStays) {
  EXPECT_EQ(StripQuotedReply("From: my desk, the printer is broken.\nIt beeps."),
            "From: my desk, the printer is broken.\nIt beeps.");
}

TEST(ReplyText, OtherLanguagesAttribution) {
  EXPECT_EQ(StripQuotedReply("Danke.\n\nAm 01.12.2026 um 09:14 schrieb Helpdesk <help@x.com>:\n> alt\n"), "Danke.");
  EXPECT_EQ(StripQuotedReply("Merci.\n\nLe mar. 1 déc. 2026 à 09:14, Helpdesk <help@x.com> a écrit :\n> vieux\n"),
            "Merci.");
}

TEST(ReplyText, SignatureIsDropped) {
  EXPECT_EQ(StripQuotedReply("It works.\n\n-- \nAlice Example\nACME Corp\n"), "It works.");
}

TEST(ReplyText, MobileSignatureIsDropped) {
  EXPECT_EQ(StripQuotedReply("Thanks, works now!\n\nSent from my iPhone\n\n> On 1 Dec 2026, at 09:14, H wrote:\n"),
            "Thanks, works now!");
}

TEST(ReplyText, InlineQuotedLinesAreDroppedAnswersKept) {
  EXPECT_EQ(StripQuotedReply("> Did you restart it?\nYes, twice.\n> And the cable?\nAlso checked.\n"),
            "Yes, twice.\nAlso checked.");
}

TEST(ReplyText, OnlyQuotedGivesEmpty) { EXPECT_EQ(StripQuotedReply("> a\n> b\n"), ""); }

TEST(ReplyText, PlainTextUnchangedButTrimmed) {
  EXPECT_EQ(StripQuotedReply("\n\nLine one\n\nLine two\n\n\n"), "Line one\n\nLine two");
  EXPECT_EQ(StripQuotedReply("On Monday the printer broke again."), "On Monday the printer broke again.");
}

}  // namespace
}  // namespace ticketd::domain

// The fixed id formats of MAIL.md, read back: which ticket a Message-ID,
// In-Reply-To/References value or reply address names.
#include "ticketd/domain/ticket_mail_ids.h"

#include <gtest/gtest.h>

namespace ticketd::domain {
namespace {

constexpr std::string_view kTicket = "0b3c6a2e-8f1d-4c55-9a7e-2d4f6b8c0e11";
constexpr std::string_view kEvent = "7d9e1f20-3a4b-4c5d-8e6f-708192a3b4c5";
constexpr std::string_view kUser = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";

Id TicketId() { return *Id::Parse(kTicket); }

TEST(TicketMailIds, TicketMailMessageIdNamesItsTicket) {
  const std::string id = "<t." + std::string(kTicket) + ".e." + std::string(kEvent) + ".r." + std::string(kUser) +
                         "@help.example.com>";
  EXPECT_EQ(TicketIdInMessageId(id), TicketId());
}

TEST(TicketMailIds, ThreadRootWithAndWithoutBracketsNamesItsTicket) {
  EXPECT_EQ(TicketIdInMessageId("<t." + std::string(kTicket) + "@help.example.com>"), TicketId());
  EXPECT_EQ(TicketIdInMessageId("t." + std::string(kTicket) + "@other.host"), TicketId());
  EXPECT_EQ(TicketIdInMessageId("T." + std::string(kTicket) + "@x"), TicketId());
}

TEST(TicketMailIds, OtherIdsNameNoTicket) {
  EXPECT_EQ(TicketIdInMessageId("<digest." + std::string(kTicket) + ".2026-12-01.r." + std::string(kUser) + "@d>"),
            std::nullopt);
  EXPECT_EQ(TicketIdInMessageId("<CAF=abc123@mail.gmail.com>"), std::nullopt);
  EXPECT_EQ(TicketIdInMessageId("<t." + std::string(kTicket) + ">"), std::nullopt);        // no domain
  EXPECT_EQ(TicketIdInMessageId("<t." + std::string(kTicket) + "x@d>"), std::nullopt);     // glued text
  EXPECT_EQ(TicketIdInMessageId("<t.0b3c6a2e-8f1d-4c55-9a7e-2d4f6b8c0e1@d>"), std::nullopt);  // short uuid
  EXPECT_EQ(TicketIdInMessageId("<x.t." + std::string(kTicket) + "@d>"), std::nullopt);
  EXPECT_EQ(TicketIdInMessageId(""), std::nullopt);
  EXPECT_EQ(TicketIdInMessageId("<>"), std::nullopt);
}

TEST(TicketMailIds, ReplyAddressTagNamesItsTicket) {
  EXPECT_EQ(TicketIdInAddress("helpdesk+t." + std::string(kTicket) + "@help.example.com"), TicketId());
  EXPECT_EQ(TicketIdInAddress("a+b+t." + std::string(kTicket) + "@d"), TicketId());
  EXPECT_EQ(TicketIdInAddress("helpdesk@help.example.com"), std::nullopt);
  EXPECT_EQ(TicketIdInAddress("helpdesk+t." + std::string(kTicket) + "x@d"), std::nullopt);
  EXPECT_EQ(TicketIdInAddress("helpdesk+t." + std::string(kTicket)), std::nullopt);  // no domain
  EXPECT_EQ(TicketIdInAddress("helpdesk+tag@d"), std::nullopt);
}

TEST(TicketMailIds, MessageIdsInReferencesInOrder) {
  EXPECT_EQ(MessageIdsIn("<a@x> (comment)\r\n <b@y>\t<c@z>"), (std::vector<std::string>{"a@x", "b@y", "c@z"}));
  EXPECT_EQ(MessageIdsIn("no brackets at all"), std::vector<std::string>{});
  EXPECT_EQ(MessageIdsIn("<unterminated@x"), std::vector<std::string>{});
  EXPECT_EQ(MessageIdsIn("<> <a@x>"), std::vector<std::string>{"a@x"});
}

// What the notifier writes, email in reads back: every written form names
// its ticket, the digest's names none; the exact texts are the fixed formats.
TEST(TicketMailIds, WrittenIdsRoundTrip) {
  const Id ticket = TicketId(), event = *Id::Parse(kEvent), user = *Id::Parse(kUser);
  for (std::string_view from : {"helpdesk@help.example.com", "ticketd", "a.b+c@sub.example.org"}) {
    const std::string message_id = TicketMessageId(ticket, event, user, from);
    EXPECT_EQ(TicketIdInMessageId(message_id), ticket) << message_id;
    EXPECT_EQ(MessageIdsIn(message_id).size(), 1u);
    EXPECT_EQ(TicketIdInMessageId(MessageIdsIn(message_id).front()), ticket) << "as read from a References header";
    EXPECT_EQ(TicketIdInMessageId(TicketThreadId(ticket, from)), ticket);
    EXPECT_EQ(TicketIdInAddress(TicketReplyTo(ticket, from)), ticket) << TicketReplyTo(ticket, from);
    EXPECT_EQ(TicketIdInMessageId(DigestMessageId(ticket, "2026-12-01", user, from)), std::nullopt);
  }
  EXPECT_EQ(TicketMessageId(ticket, event, user, "helpdesk@help.example.com"),
            "<t." + std::string(kTicket) + ".e." + std::string(kEvent) + ".r." + std::string(kUser) +
                "@help.example.com>");
  EXPECT_EQ(TicketThreadId(ticket, "helpdesk@help.example.com"), "<t." + std::string(kTicket) + "@help.example.com>");
  EXPECT_EQ(TicketReplyTo(ticket, "helpdesk@help.example.com"), "helpdesk+t." + std::string(kTicket) + "@help.example.com");
  EXPECT_EQ(TicketThreadId(ticket, "ticketd"), "<t." + std::string(kTicket) + "@localhost>") << "no domain";
  EXPECT_EQ(DigestMessageId(ticket, "2026-12-01", user, "x@d"),
            "<digest." + std::string(kTicket) + ".2026-12-01.r." + std::string(kUser) + "@d>");
}

}  // namespace
}  // namespace ticketd::domain

// The live stream's pure parts: which events become live events, who may
// receive them, their SSE framing, Last-Event-ID parsing, and one stream's
// bounded buffer (LiveStream) without a server.
#include <gtest/gtest.h>

#include "live_event.h"
#include "live_stream.h"
#include "test_ids.h"

namespace ticketd::api {
namespace {

using domain::Actor;
using domain::Role;
using test_support::TestIdOf;

constexpr domain::Id kTenant = TestIdOf(1, 1, 1);
constexpr domain::Id kOtherTenant = TestIdOf(2, 1, 1);
constexpr domain::Id kReporter = TestIdOf(1, 1, 2);
constexpr domain::Id kSomeoneElse = TestIdOf(1, 2, 2);
constexpr domain::Id kTicket = TestIdOf(1, 1, 3);

Actor UserOf(const domain::Id& tenant, const domain::Id& user, Role role) {
  return Actor{.kind = Actor::Kind::kUser, .user_id = user, .tenant_id = tenant, .role = role};
}

domain::Ticket TicketOf(const domain::Id& reporter) {
  domain::Ticket ticket;
  ticket.id = kTicket;
  ticket.tenant_id = kTenant;
  ticket.number_text = "ACME-000042";
  ticket.reporter_id = reporter;
  return ticket;
}

domain::DomainEvent EventOf(domain::EventPayload payload) {
  return domain::DomainEvent{.tenant_id = kTenant,
                             .stream_id = kTicket,
                             .at = 1'700'000'000'123'000,
                             .actor_id = kReporter,
                             .payload = std::move(payload)};
}

LiveEvent Comment(bool internal) {
  return *ToLiveEvent(7, EventOf(domain::CommentAdded{.comment_id = TestIdOf(1, 1, 4), .body = "x", .internal = internal}));
}

TEST(LiveEvent, TicketEventsBecomeLiveEventsDirectoryEventsDoNot) {
  std::optional<LiveEvent> updated = ToLiveEvent(42, EventOf(domain::TicketUpdated{.subject = "new"}));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->position, 42u);
  EXPECT_EQ(updated->type, "ticket.updated");
  EXPECT_EQ(updated->ticket_id, kTicket);
  EXPECT_EQ(updated->tenant_id, kTenant);
  EXPECT_FALSE(updated->agent_only);
  EXPECT_FALSE(ToLiveEvent(43, EventOf(domain::AssetCreated{.asset_id = kTicket, .name = "laptop"})));
  EXPECT_TRUE(Comment(true).agent_only);
  EXPECT_FALSE(Comment(false).agent_only);
}

TEST(LiveEvent, FramesIdTypeAndDataWithoutPersonalText) {
  LiveEvent event = *ToLiveEvent(42, EventOf(domain::TicketUpdated{.subject = "secret subject"}));
  EXPECT_EQ(FrameLiveEvent(event, "ACME-000042"),
            "id: 42\nevent: ticket.updated\ndata: {\"position\":42,\"type\":\"ticket.updated\",\"ticket_id\":\"" +
                kTicket.ToString() + "\",\"number\":\"ACME-000042\",\"at\":\"2023-11-14T22:13:20.123Z\"}\n\n");
  EXPECT_EQ(FrameStreamStart(9, 2000), "retry: 2000\nid: 9\n\n");
  EXPECT_EQ(kPingFrame, ": ping\n\n");
}

TEST(LiveEvent, ReceiversFollowTheTicketReadRules) {
  const LiveEvent event = *ToLiveEvent(5, EventOf(domain::TicketAssigned{}));
  const domain::Ticket own = TicketOf(kReporter);
  const domain::Ticket theirs = TicketOf(kSomeoneElse);
  const Actor reporter = UserOf(kTenant, kReporter, Role::kReporter);
  EXPECT_TRUE(MayReceive(reporter, own, event));
  EXPECT_FALSE(MayReceive(reporter, theirs, event)) << "a reporter only their own tickets";
  for (Role role : {Role::kAgent, Role::kManager, Role::kAdmin})
    EXPECT_TRUE(MayReceive(UserOf(kTenant, kSomeoneElse, role), own, event)) << ToString(role);
  EXPECT_FALSE(MayReceive(UserOf(kOtherTenant, kSomeoneElse, Role::kAdmin), own, event)) << "another tenant";
  EXPECT_FALSE(MayReceive(Actor{.kind = Actor::Kind::kPlatformAdmin}, own, event));
}

TEST(LiveEvent, InternalCommentsOnlyForThoseWhoSeeThem) {
  const domain::Ticket own = TicketOf(kReporter);
  const Actor reporter = UserOf(kTenant, kReporter, Role::kReporter);
  const Actor manager = UserOf(kTenant, kSomeoneElse, Role::kManager);
  const Actor agent = UserOf(kTenant, kSomeoneElse, Role::kAgent);
  Actor it_reporter = UserOf(kTenant, kSomeoneElse, Role::kReporter);
  it_reporter.it_department = true;
  EXPECT_TRUE(MayReceive(reporter, own, Comment(false)));
  EXPECT_FALSE(MayReceive(reporter, own, Comment(true)));
  EXPECT_FALSE(MayReceive(manager, own, Comment(true))) << "managers do not see internal comments";
  EXPECT_TRUE(MayReceive(agent, own, Comment(true)));
  EXPECT_TRUE(MayReceive(it_reporter, own, Comment(true))) << "department IT has agent rights";
}

TEST(LiveEvent, LastEventIdIsADecimalPosition) {
  EXPECT_EQ(ParseLastEventId("0"), 0u);
  EXPECT_EQ(ParseLastEventId("18446744073709551"), 18446744073709551u);
  for (std::string_view bad : {"", "-1", "+1", " 1", "1 ", "1a", "0x10", "99999999999999999999", "1.5"})
    EXPECT_FALSE(ParseLastEventId(bad)) << bad;
}

class LiveStreamBuffer : public ::testing::Test {
 protected:
  std::shared_ptr<LiveStream> Make(std::size_t max_bytes) {
    return std::make_shared<LiveStream>(StreamCredential{}, 0, max_bytes, "start\n\n", [this] { ++released_; });
  }
  int released_ = 0;
};

TEST_F(LiveStreamBuffer, PullsWhatWasOfferedAndWakesOncePerPull) {
  auto stream = Make(1024);
  int wakes = 0;
  stream->Open([&](bool abort) {
    EXPECT_FALSE(abort);
    ++wakes;
  });
  EXPECT_TRUE(stream->Offer("a\n\n"));
  EXPECT_TRUE(stream->Offer("b\n\n"));
  EXPECT_EQ(wakes, 0) << "small offers wait for the pass's flush";
  stream->Flush();
  stream->Flush();
  EXPECT_EQ(wakes, 1) << "one wake until the session pulls";
  std::string out;
  EXPECT_TRUE(stream->Pull(&out));
  EXPECT_EQ(out, "start\n\na\n\nb\n\n");
  stream->OfferPing();
  EXPECT_EQ(wakes, 2);
  stream->OfferPing();  // bytes already waiting: no second ping
  out.clear();
  EXPECT_TRUE(stream->Pull(&out));
  EXPECT_EQ(out, ": ping\n\n");
}

TEST_F(LiveStreamBuffer, AQuarterOfTheBoundWakesTheSessionWithoutWaitingForTheFlush) {
  auto stream = Make(1024);
  int wakes = 0;
  stream->Open([&](bool) { ++wakes; });
  EXPECT_TRUE(stream->Offer(std::string(300, 'x')));
  EXPECT_EQ(wakes, 1);
}

TEST_F(LiveStreamBuffer, AClientPastTheBoundIsDroppedNotBuffered) {
  auto stream = Make(64);
  bool aborted = false;
  stream->Open([&](bool abort) { aborted = aborted || abort; });
  std::string frame(20, 'x');
  EXPECT_TRUE(stream->Offer(frame));
  EXPECT_TRUE(stream->Offer(frame));
  EXPECT_FALSE(stream->Offer(frame)) << "7 + 60 bytes pass 64";
  EXPECT_TRUE(aborted);
  EXPECT_EQ(stream->room(), 0u);
  EXPECT_FALSE(stream->Offer("y")) << "nothing more is taken";
  std::string out;
  EXPECT_FALSE(stream->Pull(&out));
  EXPECT_TRUE(out.empty()) << "the buffer was released";
}

TEST_F(LiveStreamBuffer, EndSendsWhatIsQueuedThenStops) {
  auto stream = Make(1024);
  stream->Offer("last\n\n");
  stream->End();
  std::string out;
  EXPECT_FALSE(stream->Pull(&out));
  EXPECT_EQ(out, "start\n\nlast\n\n");
  EXPECT_FALSE(stream->Offer("late\n\n"));
}

TEST_F(LiveStreamBuffer, ClosedStreamsAreReportedAndReleaseTheirPlace) {
  auto stream = Make(1024);
  stream->Open([](bool) {});
  EXPECT_FALSE(stream->closed());
  stream->Closed();
  EXPECT_TRUE(stream->closed());
  EXPECT_FALSE(stream->Offer("x"));
  stream.reset();
  EXPECT_EQ(released_, 1);
}

}  // namespace
}  // namespace ticketd::api

// GET /api/v1/stream (WEB-UI.md "Live"): server-sent events of the tenant's
// ticket events, against the real binary with raw streaming connections.
#include <string>
#include <vector>

#include "api_fixture.h"
#include "poll_until.h"
#include "signin_fixture.h"
#include "sse_reader.h"

namespace ticketd::integration {
namespace {

using namespace std::chrono_literals;
using test_support::PollUntil;

// The contract's 2 s: an event must arrive within it.
constexpr auto kLive = 2s;

struct Seen {
  std::uint64_t position = 0;
  std::string type;
  std::string ticket_id;
  std::string number;
};

// The next event with data, checked for the protocol's shape.
std::optional<Seen> NextSeen(SseReader& reader, std::chrono::milliseconds timeout = kLive) {
  std::optional<SseEvent> event = reader.NextEvent(timeout);
  if (!event) return std::nullopt;
  Json json(event->data);
  EXPECT_TRUE(json.ok()) << event->data;
  Seen seen{static_cast<std::uint64_t>(GetInt(json.root(), "position").value_or(-1)), GetString(json.root(), "type"),
            GetString(json.root(), "ticket_id"), GetString(json.root(), "number")};
  EXPECT_EQ(event->id, std::to_string(seen.position)) << "id: is the log position";
  EXPECT_EQ(event->event, seen.type) << "event: is the type";
  EXPECT_TRUE(GetOptString(json.root(), "at")) << event->data;
  EXPECT_EQ(GetKeys(json.root(), "").size(), 5u) << "ids, number, type and time only: " << event->data;
  return seen;
}

// Opens a stream and returns the position it starts at (its id-only block).
std::string StartPosition(SseReader& reader) {
  std::optional<SseEvent> start = reader.Next(kLive);
  EXPECT_TRUE(start && start->data.empty() && !start->id.empty()) << "the stream starts with its position";
  return start ? start->id : "";
}

class LiveStreamTest : public TenantTest {};

TEST_F(LiveStreamTest, EventsArriveWithinTwoSeconds) {
  SseReader reader;
  ASSERT_TRUE(reader.OpenStream(server().port(), agent_.token));
  EXPECT_EQ(reader.head().Header("Content-Type"), "text/event-stream");
  EXPECT_EQ(reader.head().Header("Cache-Control"), "no-store");
  std::string start = StartPosition(reader);

  std::string id = CreateTicket(reporter_);
  std::optional<Seen> created = NextSeen(reader);
  ASSERT_TRUE(created) << "no event within 2 s";
  EXPECT_EQ(created->type, "ticket.created");
  EXPECT_EQ(created->ticket_id, id);
  EXPECT_EQ(created->number.rfind(tenant_.prefix + "-", 0), 0u) << created->number;
  EXPECT_GT(created->position, std::stoull(start));

  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + id + "/claim", ""), 200));
  std::optional<Seen> next = NextSeen(reader);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->ticket_id, id);
  EXPECT_GT(next->position, created->position);
}

TEST_F(LiveStreamTest, LastEventIdReplaysExactlyTheMissedOnesThenContinuesLive) {
  std::string from;
  {
    SseReader first;
    ASSERT_TRUE(first.OpenStream(server().port(), agent_.token));
    from = StartPosition(first);
  }
  std::vector<std::string> missed;
  for (int i = 0; i < 3; ++i) missed.push_back(CreateTicket(reporter_));

  for (const bool by_query : {false, true}) {
    SseReader reader;
    if (by_query) {
      ASSERT_TRUE(reader.Open(server().port(), "/api/v1/stream?last_event_id=" + from,
                              {{"Authorization", "Bearer " + agent_.token}}));
    } else {
      ASSERT_TRUE(reader.OpenStream(server().port(), agent_.token, from));
    }
    ASSERT_EQ(reader.head().status, 200) << reader.head().body;
    std::uint64_t last = std::stoull(from);
    for (const std::string& id : missed) {
      std::optional<Seen> seen = NextSeen(reader);
      ASSERT_TRUE(seen) << "replay";
      EXPECT_EQ(seen->ticket_id, id);
      EXPECT_GT(seen->position, last);
      last = seen->position;
    }
    // Then live, with nothing repeated in between.
    std::string live = CreateTicket(reporter_);
    std::optional<Seen> seen = NextSeen(reader);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->ticket_id, live) << "the first event after the replay is the new one";
    missed.push_back(live);
  }
}

TEST_F(LiveStreamTest, OtherTenantsEventsNeverArrive) {
  SseReader reader;
  ASSERT_TRUE(reader.OpenStream(server().port(), agent_.token));
  StartPosition(reader);
  Tenant other = CreateTenant();
  User other_agent = CreateUser(other, "agent");
  CreateTicket(other_agent);
  std::string mine = CreateTicket(reporter_);
  std::optional<Seen> seen = NextSeen(reader);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->ticket_id, mine) << "the other tenant's ticket must not arrive";
}

TEST_F(LiveStreamTest, ReporterSeesOnlyOwnTickets) {
  User other_reporter = CreateUser(tenant_, "reporter");
  SseReader reader;
  ASSERT_TRUE(reader.OpenStream(server().port(), reporter_.token));
  StartPosition(reader);
  std::string theirs = CreateTicket(other_reporter);
  ASSERT_TRUE(HasStatus(Post(agent_.token, "/api/v1/tickets/" + theirs + "/comments", R"({"body":"on it"})"), 201));
  std::string mine = CreateTicket(reporter_);
  std::optional<Seen> seen = NextSeen(reader);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->ticket_id, mine);
  EXPECT_EQ(seen->type, "ticket.created");
}

TEST_F(LiveStreamTest, InternalCommentsReachOnlyThoseWhoSeeThem) {
  std::string id = CreateTicket(reporter_);
  SseReader as_reporter;
  SseReader as_agent;
  ASSERT_TRUE(as_reporter.OpenStream(server().port(), reporter_.token));
  ASSERT_TRUE(as_agent.OpenStream(server().port(), agent_.token));
  StartPosition(as_reporter);
  StartPosition(as_agent);
  std::string target = "/api/v1/tickets/" + id + "/comments";
  ASSERT_TRUE(HasStatus(Post(agent_.token, target, R"({"body":"internal note","internal":true})"), 201));
  ASSERT_TRUE(HasStatus(Post(agent_.token, target, R"({"body":"public answer"})"), 201));

  std::optional<Seen> internal = NextSeen(as_agent);
  std::optional<Seen> open = NextSeen(as_agent);
  ASSERT_TRUE(internal && open);
  EXPECT_EQ(internal->type, "comment.added");
  std::optional<Seen> reporter_sees = NextSeen(as_reporter);
  ASSERT_TRUE(reporter_sees);
  EXPECT_EQ(reporter_sees->position, open->position) << "the internal comment is skipped";
}

TEST_F(LiveStreamTest, RefusesWithoutTokenAndMalformedLastEventId) {
  SseReader anonymous;
  ASSERT_TRUE(anonymous.Open(server().port(), "/api/v1/stream", {}));
  EXPECT_EQ(anonymous.head().status, 401);
  EXPECT_NE(anonymous.head().body.find("UNAUTHENTICATED"), std::string::npos);
  SseReader wrong;
  ASSERT_TRUE(wrong.Open(server().port(), "/api/v1/stream", {{"Authorization", "Bearer tkd_nope"}}));
  EXPECT_EQ(wrong.head().status, 401);
  EXPECT_TRUE(IsError(Call("GET", agent_.token, "/api/v1/stream", {}, {{"Last-Event-ID", "12abc"}}), 400,
                      "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Get(kAdminToken, "/api/v1/stream"), 403, "FORBIDDEN"));
}

TEST_F(LiveStreamTest, WorksWithSignedInAccessTokens) {
  User user = CreateUserWithPassword(http(), tenant_.id, "live-jwt@example.com", "agent");
  SignedIn session = MustLogin(http(), tenant_.id, "live-jwt@example.com");
  SseReader reader;
  ASSERT_TRUE(reader.OpenStream(server().port(), session.access));
  StartPosition(reader);
  std::string id = CreateTicket(reporter_);
  std::optional<Seen> seen = NextSeen(reader);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->ticket_id, id);
}

// Servers of their own: limits, expiry, slow clients, shutdown.
class LiveStreamLimitsTest : public OwnServerTest {
 protected:
  void SetUp() override {}  // each test starts its server with its flags
  void StartWith(std::vector<std::string> args) {
    server_.set_extra_args(std::move(args));
    OwnServerTest::SetUp();
  }
};

TEST_F(LiveStreamLimitsTest, AccessTokenExpiryEndsTheStream) {
  StartWith({"--access-token-ttl", "3"});
  ASSERT_FALSE(HasFatalFailure());
  CreateUserWithPassword(http(), tenant_.id, "expiry@example.com", "agent");
  SignedIn expiring = MustLogin(http(), tenant_.id, "expiry@example.com");
  SseReader reader;
  ASSERT_TRUE(reader.OpenStream(server().port(), expiring.access));
  EXPECT_TRUE(reader.WaitClosed(8s)) << "the stream outlived its access token";
  EXPECT_TRUE(reader.ended_cleanly());
}

TEST_F(LiveStreamLimitsTest, LogoutEndsTheSessionsStreamsAtTheNextHeartbeat) {
  StartWith({"--stream-heartbeat-ms", "200"});  // tokens live 15 min: only the logout can end it
  ASSERT_FALSE(HasFatalFailure());
  CreateUserWithPassword(http(), tenant_.id, "logout@example.com", "agent");
  SignedIn session = MustLogin(http(), tenant_.id, "logout@example.com");
  SseReader revoked;
  ASSERT_TRUE(revoked.OpenStream(server().port(), session.access));
  EXPECT_FALSE(revoked.WaitClosed(600ms)) << "a live session's stream stays open";
  EXPECT_GT(revoked.comments(), 0) << "heartbeats come every 200 ms";
  ASSERT_TRUE(HasStatus(WithBearer(http(), "POST", session.access, "/api/v1/auth/logout"), 204));
  EXPECT_TRUE(revoked.WaitClosed(10s)) << "logout must end the session's streams";
}

TEST_F(LiveStreamLimitsTest, StreamsPerUserAreLimited) {
  StartWith({"--max-streams-per-user", "2"});
  ASSERT_FALSE(HasFatalFailure());
  std::vector<std::unique_ptr<SseReader>> open;
  for (int i = 0; i < 2; ++i) {
    open.push_back(std::make_unique<SseReader>());
    ASSERT_TRUE(open.back()->OpenStream(server().port(), agent_.token));
  }
  SseReader third;
  ASSERT_TRUE(third.Open(server().port(), "/api/v1/stream", {{"Authorization", "Bearer " + agent_.token}}));
  EXPECT_EQ(third.head().status, 429);
  EXPECT_NE(third.head().body.find("TOO_MANY_STREAMS"), std::string::npos);
  EXPECT_FALSE(third.head().Header("Retry-After").empty());
  SseReader other_user;
  EXPECT_TRUE(other_user.OpenStream(server().port(), tenant_.admin.token)) << "the limit is per user";

  open.front()->Close();  // a closed stream frees its place at once
  EXPECT_TRUE(PollUntil(
      [&] {
        SseReader again;
        return again.Open(server().port(), "/api/v1/stream", {{"Authorization", "Bearer " + agent_.token}}) &&
               again.head().status == 200;
      },
      5s, 50ms));
}

TEST_F(LiveStreamLimitsTest, StalledReaderIsDroppedWhileOthersKeepUp) {
  StartWith({"--stream-buffer-bytes", "4096"});
  ASSERT_FALSE(HasFatalFailure());
  SseReader stalled;
  ASSERT_TRUE(stalled.Open(server().port(), "/api/v1/stream", {{"Authorization", "Bearer " + agent_.token}},
                           /*receive_buffer=*/4096));
  ASSERT_EQ(stalled.head().status, 200);
  SseReader healthy;
  ASSERT_TRUE(healthy.OpenStream(server().port(), agent_.token));
  StartPosition(healthy);
  // Far more than the stalled client's kernel buffers and its 4 KiB.
  const int kTickets = 600;
  int received = 0;
  for (int i = 0; i < kTickets; ++i) {
    CreateTicket(agent_);
    while (std::optional<SseEvent> event = healthy.NextEvent(i + 1 == kTickets ? 2000ms : 0ms)) ++received;
  }
  while (received < kTickets && healthy.NextEvent(kLive)) ++received;
  EXPECT_EQ(received, kTickets) << "a reader that keeps up gets everything";
  // The stalled one was dropped: reading now, it gets some events, then the end.
  EXPECT_TRUE(stalled.WaitClosed(35s)) << "the stalled reader is still connected";
  EXPECT_LT(stalled.bytes_received(), static_cast<std::uint64_t>(kTickets) * 150) << "it got less than all";
  EXPECT_TRUE(PollUntil([&] { return Get("", "/metrics").body.find("ticketd_live_streams 1\n") != std::string::npos; },
                        5s))
      << "one stream left open (the healthy one)";
}

TEST_F(LiveStreamLimitsTest, ALongReplayWaitsForTheReaderInsteadOfDroppingIt) {
  StartWith({"--stream-buffer-bytes", "4096"});
  ASSERT_FALSE(HasFatalFailure());
  // ~100 events of ~230 bytes: several times the buffer.
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) ids.push_back(CreateTicket(agent_));
  SseReader reader;
  ASSERT_TRUE(reader.OpenStream(server().port(), agent_.token, "0"));
  std::uint64_t last = 0;
  for (const std::string& id : ids) {
    std::optional<Seen> seen = NextSeen(reader, 5s);
    ASSERT_TRUE(seen) << "the replay stopped before " << id;
    EXPECT_EQ(seen->ticket_id, id);
    EXPECT_GT(seen->position, last);
    last = seen->position;
  }
}

TEST_F(LiveStreamLimitsTest, ShutdownEndsOpenStreamsPromptly) {
  StartWith({});
  ASSERT_FALSE(HasFatalFailure());
  std::vector<std::unique_ptr<SseReader>> readers;
  for (int i = 0; i < 5; ++i) {
    readers.push_back(std::make_unique<SseReader>());
    ASSERT_TRUE(readers.back()->OpenStream(server().port(), agent_.token));
  }
  const auto began = std::chrono::steady_clock::now();
  ASSERT_TRUE(server_.Stop());
  EXPECT_LT(std::chrono::steady_clock::now() - began, 4s) << "open streams held up the shutdown";
  for (auto& reader : readers) {
    EXPECT_TRUE(reader->WaitClosed(1s));
    EXPECT_TRUE(reader->ended_cleanly()) << "each stream ends with its last chunk";
  }
}

}  // namespace
}  // namespace ticketd::integration

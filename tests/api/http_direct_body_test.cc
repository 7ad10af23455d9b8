// HttpSession's Content-Length bodies read by the handler itself (SocketBody,
// request_body.h): the bytes arrive whole and in order however the client
// splits its writes (the ones the session read past the header first), the
// next request on the connection is not eaten, a client that stalls mid-body
// is timed out (the handler's wait ends, the connection closes), and an
// answer given before the body is read still reaches a client that goes on
// sending, on a connection that stays usable.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>

#include "server_fixture.h"

namespace ticketd::api::testing {
namespace {

// What one streamed request's reader saw.
struct Outcome {
  std::mutex mu;
  std::condition_variable changed;
  std::string bytes;
  std::string end;  // "complete", "timed out" or "gone", once the reader stopped

  bool WaitEnd() {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, kWait, [&] { return !end.empty(); });
  }
  void Stop(std::string why) {
    std::lock_guard lock(mu);
    end = std::move(why);
    changed.notify_all();
  }
};

// Reads the body as the upload job does (ReadSome until kWait, then
// WhenReadable), in odd-sized steps, and echoes it back.
class EchoReader : public std::enable_shared_from_this<EchoReader> {
 public:
  // `pause`: after its first bytes the reader pauses once that long
  // (RequestBody::Pause, the upload pacing's), zero: never.
  EchoReader(RequestBodyPtr body, Responder respond, std::shared_ptr<Outcome> outcome,
             std::chrono::milliseconds pause = {})
      : body_(std::move(body)), respond_(std::move(respond)), outcome_(std::move(outcome)), pause_(pause) {}

  void Next() {
    SocketBody& socket = *body_->Direct();
    for (;;) {
      char piece[1237];
      std::size_t got = 0;
      switch (socket.ReadSome(piece, sizeof piece, &got)) {
        case SocketBody::Got::kBytes:
          bytes_.append(piece, got);
          if (socket.remaining() == 0) {
            respond_(TextResponse(bytes_));
            return Stop("complete");
          }
          if (pause_.count() > 0) {
            return body_->Pause(std::exchange(pause_, {}), [self = shared_from_this()](bool alive) {
              if (alive) return self->Next();
              self->Stop("gone");
            });
          }
          continue;
        case SocketBody::Got::kWait:
          return socket.WhenReadable([self = shared_from_this()](bool readable) {
            if (readable) return self->Next();
            self->Stop("timed out");
          });
        case SocketBody::Got::kGone:
          return Stop("gone");
      }
    }
  }

 private:
  void Stop(std::string why) {
    {
      std::lock_guard lock(outcome_->mu);
      outcome_->bytes = bytes_;
    }
    outcome_->Stop(std::move(why));
  }

  RequestBodyPtr body_;
  Responder respond_;
  std::shared_ptr<Outcome> outcome_;
  std::chrono::milliseconds pause_;
  std::string bytes_;
};

// POST /read: the body is read by an EchoReader (POST /paced: one that
// pauses kPause after its first bytes); POST /refuse: answered at once, its
// body never read by the handler; anything else: buffered, echoed.
class DirectHandler : public RequestHandler {
 public:
  static constexpr std::chrono::milliseconds kPause{1500};
  void Handle(Request&& request, Responder respond) override { respond(EchoResponse(request)); }
  bool StreamsBody(const Request& header) const override { return header.method() == http::verb::post; }
  void Handle(Request&& request, Responder respond, StreamResponder, RequestBodyPtr body) override {
    if (!body) return respond(EchoResponse(request));
    if (body->Direct() == nullptr) {
      chunked_seen = true;
      return respond(TextResponse("chunked"));
    }
    if (request.target() == "/refuse") {
      Response refused{http::status::payload_too_large, 11};
      refused.body() = "refused";
      return respond(std::move(refused));
    }
    const auto pause = request.target() == "/paced" ? kPause : std::chrono::milliseconds(0);
    std::make_shared<EchoReader>(std::move(body), std::move(respond), outcome, pause)->Next();
  }

  std::shared_ptr<Outcome> outcome = std::make_shared<Outcome>();
  std::atomic<bool> chunked_seen{false};
};

std::string PostHead(std::string_view target, std::size_t length) {
  return "POST " + std::string(target) + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\n"
         "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

// Bytes that show a reordering or a lost piece.
std::string Pattern(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return bytes;
}

// A server with a DirectHandler and one connected client; `options` lets a
// test change the server's (e.g. a short read timeout).
class HttpDirectBody : public ::testing::Test {
 protected:
  void Connect(HttpServerOptions options = {}) {
    server = StartServer(handler, options);
    ASSERT_TRUE(server);
    client = std::make_unique<HttpClient>("127.0.0.1", server->port());
    ASSERT_TRUE(client->Connect());
  }

  // A client sends 400 of 1,000 announced body bytes to `path`, then
  // nothing: the reader's wait ends (1 s read timeout) and the connection closes.
  void ExpectAStalledClientTimedOut(const std::string& path) {
    HttpServerOptions options;
    options.port = 0;
    options.read_timeout = std::chrono::seconds(1);
    ASSERT_NO_FATAL_FAILURE(Connect(options));
    ASSERT_TRUE(client->Send(PostHead(path, 1000) + std::string(400, 'x')));
    ASSERT_TRUE(handler.outcome->WaitEnd()) << "the reader is still waiting";
    EXPECT_EQ(handler.outcome->end, "timed out");
    EXPECT_EQ(handler.outcome->bytes.size(), 400u);
    EXPECT_TRUE(client->ReadsEof());
  }

  DirectHandler handler;
  std::unique_ptr<HttpServer> server;
  std::unique_ptr<HttpClient> client;
};

TEST_F(HttpDirectBody, OddSizedWritesArriveWholeAndTheNextRequestIsKept) {
  ASSERT_NO_FATAL_FAILURE(Connect());
  HttpClient& client = *this->client;
  const std::string body = Pattern(300'001);
  // The header and the body's first bytes in one write: the session reads
  // them together, and the reader must get those bytes first.
  std::size_t at = 5;
  ASSERT_TRUE(client.Send(PostHead("/read", body.size()) + body.substr(0, at)));
  for (std::size_t step : {1, 2, 4093, 65537, 3, 131071}) {
    ASSERT_TRUE(client.Send(body.substr(at, step)));
    at += step;
  }
  // The rest with the next request right behind it, in the same write.
  ASSERT_TRUE(client.Send(body.substr(at) + GetRequest("/after")));
  HttpResponse echoed;
  ASSERT_TRUE(client.Read(echoed));
  EXPECT_EQ(echoed.status, 200);
  EXPECT_EQ(echoed.body.size(), body.size());
  EXPECT_TRUE(echoed.body == body) << "the body came back altered";
  HttpResponse after;
  ASSERT_TRUE(client.Read(after));
  EXPECT_EQ(after.body, "GET /after 0");
  ASSERT_TRUE(handler.outcome->WaitEnd());
  EXPECT_EQ(handler.outcome->end, "complete");
}

TEST_F(HttpDirectBody, AClientThatStallsMidBodyIsTimedOut) {
  ExpectAStalledClientTimedOut("/read");
}

// The upload pacing's pause is the server's: it must not time out a client
// whose bytes are all there, however much longer than the read timeout it is.
TEST_F(HttpDirectBody, APauseLongerThanTheReadTimeoutDoesNotTimeOutTheClient) {
  HttpServerOptions options;
  options.port = 0;
  options.read_timeout = std::chrono::seconds(1);
  ASSERT_NO_FATAL_FAILURE(Connect(options));
  HttpClient& client = *this->client;
  const std::string body = Pattern(200'003);
  ASSERT_TRUE(client.Send(PostHead("/paced", body.size()) + body));
  HttpResponse echoed;
  ASSERT_TRUE(client.Read(echoed));
  EXPECT_EQ(echoed.status, 200);
  EXPECT_TRUE(echoed.body == body) << "the body came back altered";
  ASSERT_TRUE(handler.outcome->WaitEnd());
  EXPECT_EQ(handler.outcome->end, "complete");
}

// ... and after it the read timeout applies again: a client that stalls is
// still timed out.
TEST_F(HttpDirectBody, AClientThatStallsAfterAPauseIsStillTimedOut) {
  ExpectAStalledClientTimedOut("/paced");
}

TEST_F(HttpDirectBody, AnAnswerBeforeTheBodyIsReadReachesTheClientAndTheConnectionStaysUsable) {
  ASSERT_NO_FATAL_FAILURE(Connect());
  HttpClient& client = *this->client;
  const std::string body = Pattern(700'000);
  ASSERT_TRUE(client.Send(PostHead("/refuse", body.size()) + body.substr(0, 100)));
  for (std::size_t at = 100; at < body.size(); at += 99'991) ASSERT_TRUE(client.Send(body.substr(at, 99'991)));
  HttpResponse refused;
  ASSERT_TRUE(client.Read(refused));
  EXPECT_EQ(refused.status, 413);
  EXPECT_EQ(refused.body, "refused");
  ASSERT_TRUE(client.Send(GetRequest("/next")));
  HttpResponse next;
  ASSERT_TRUE(client.Read(next));
  EXPECT_EQ(next.body, "GET /next 0") << "the dropped body's bytes were taken for a request";
}

TEST_F(HttpDirectBody, AChunkedBodyIsLeftToTheSession) {
  ASSERT_NO_FATAL_FAILURE(Connect());
  HttpClient& client = *this->client;
  ASSERT_TRUE(client.Send("POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
  HttpResponse answered;
  ASSERT_TRUE(client.Read(answered));
  EXPECT_EQ(answered.body, "chunked");
  EXPECT_TRUE(handler.chunked_seen);
}

}  // namespace
}  // namespace ticketd::api::testing

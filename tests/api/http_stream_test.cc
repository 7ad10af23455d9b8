// HttpSession's streamed answers (response_stream.h), without the live hub:
// the header, then the stream's bytes as chunks, the last chunk when the
// stream ends, a prompt end when the server stops, and Closed() when the
// peer goes away.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "poll_until.h"
#include "server_fixture.h"

namespace ticketd::api::testing {
namespace {

// Sends what the test queues; ends when told.
class QueueStream : public ResponseStream {
 public:
  void Open(std::function<void(bool)> wake) override {
    std::lock_guard lock(mu_);
    wake_ = std::move(wake);
    opened = true;
  }
  bool Pull(std::string* out) override {
    std::lock_guard lock(mu_);
    out->append(queued_);
    queued_.clear();
    return !ended_;
  }
  void Closed() override { closed = true; }

  void Send(std::string bytes, bool end = false) {
    std::function<void(bool)> wake;
    {
      std::lock_guard lock(mu_);
      queued_ += bytes;
      ended_ = ended_ || end;
      wake = wake_;
    }
    if (wake) wake(false);
  }

  std::atomic<bool> opened{false};
  std::atomic<bool> closed{false};

 private:
  std::mutex mu_;
  std::function<void(bool)> wake_;
  std::string queued_;
  bool ended_ = false;
};

class StreamingHandler : public RequestHandler {
 public:
  explicit StreamingHandler(std::shared_ptr<QueueStream> stream) : stream_(std::move(stream)) {}
  void Handle(Request&&, Responder respond) override { respond(TextResponse("not streamed")); }
  void Handle(Request&&, Responder, StreamResponder stream) override {
    Response head{http::status::ok, 11};
    head.set(http::field::content_type, "text/event-stream");
    stream(std::move(head), stream_);
  }

 private:
  std::shared_ptr<QueueStream> stream_;
};

TEST(HttpStreamTest, BytesGoOutAsTheyComeAndTheEndIsTheLastChunk) {
  auto stream = std::make_shared<QueueStream>();
  StreamingHandler handler(stream);
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send(GetRequest("/stream")));
  ASSERT_TRUE(test_support::PollUntil([&] { return stream->opened.load(); }));
  stream->Send("data: one\n\n");
  stream->Send("data: two\n\n", /*end=*/true);
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));  // a complete chunked message
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(response.body, "data: one\n\ndata: two\n\n");
  EXPECT_FALSE(response.KeepAlive()) << "a streamed answer is the connection's last";
  EXPECT_TRUE(client.ReadsEof());
  EXPECT_TRUE(test_support::PollUntil([&] { return stream->closed.load(); }));
  server->Stop(std::chrono::seconds(1));
}

TEST(HttpStreamTest, StopEndsAnOpenStreamAtOnce) {
  auto stream = std::make_shared<QueueStream>();
  StreamingHandler handler(stream);
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send(GetRequest("/stream")));
  ASSERT_TRUE(test_support::PollUntil([&] { return stream->opened.load(); }));
  stream->Send("data: before\n\n");
  const auto began = std::chrono::steady_clock::now();
  server->Stop(std::chrono::seconds(20));
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(5)) << "Stop waited for the stream";
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.body, "data: before\n\n") << "what was queued, then the last chunk";
  EXPECT_TRUE(stream->closed.load());
}

TEST(HttpStreamTest, APeerThatGoesAwayClosesTheStream) {
  auto stream = std::make_shared<QueueStream>();
  StreamingHandler handler(stream);
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  {
    HttpClient client("127.0.0.1", server->port());
    ASSERT_TRUE(client.Connect());
    ASSERT_TRUE(client.Send(GetRequest("/stream")));
    ASSERT_TRUE(test_support::PollUntil([&] { return stream->opened.load(); }));
  }  // the client disconnects without the server writing anything
  EXPECT_TRUE(test_support::PollUntil([&] { return stream->closed.load(); }, std::chrono::seconds(5)));
  server->Stop(std::chrono::seconds(1));
}

}  // namespace
}  // namespace ticketd::api::testing

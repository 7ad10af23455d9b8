// HttpServer over real loopback sockets: answers, keep-alive, pipelining
// order, the body limit, malformed requests, 100-continue.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "server_fixture.h"

namespace ticketd::api::testing {
namespace {

TEST(HttpServerTest, AnswersAGetWithServerHeaderAndLength) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  HttpResponse response = RawGet(client, "/hello?x=1");
  ASSERT_NE(response.status, 0) << response.body;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "GET /hello?x=1 0");
  EXPECT_EQ(response.Header("Server"), "ticketd");
  EXPECT_EQ(response.Header("Content-Length"), std::to_string(response.body.size()));
  EXPECT_TRUE(response.KeepAlive());
  server->Stop(std::chrono::milliseconds(1000));
}

TEST(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  std::atomic<int> handled{0};
  FnHandler handler([&](Request&& request, Responder respond) {
    ++handled;
    respond(EchoResponse(request));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  for (int i = 0; i < 100; ++i) {
    HttpResponse response = RawGet(client, "/n/" + std::to_string(i));
    ASSERT_NE(response.status, 0) << "request " << i << ": " << response.body;
    ASSERT_EQ(response.body, "GET /n/" + std::to_string(i) + " 0");
    ASSERT_TRUE(response.KeepAlive());
  }
  EXPECT_EQ(handled.load(), 100);
}

TEST(HttpServerTest, PipelinedAnswersKeepRequestOrder) {
  // Request 1 is answered from another thread only after request 2 has
  // already been answered: the client must still see 1 before 2.
  Parking parking;
  std::mutex mu;
  std::condition_variable fast_answered_cv;
  bool fast_answered = false;
  FnHandler handler([&](Request&& request, Responder respond) {
    if (request.target() == "/slow") return parking.Park("/slow", std::move(respond));
    respond(EchoResponse(request));
    std::lock_guard lock(mu);
    fast_answered = true;
    fast_answered_cv.notify_all();
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  std::thread late([&] {
    auto parked = parking.Take();
    if (!parked) return;
    std::unique_lock lock(mu);
    fast_answered_cv.wait_for(lock, kWait, [&] { return fast_answered; });
    parked->second(TextResponse("late"));
  });
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send(GetRequest("/slow") + GetRequest("/fast")));
  HttpResponse first, second;
  ASSERT_TRUE(client.Read(first));
  ASSERT_TRUE(client.Read(second));
  late.join();
  EXPECT_EQ(first.body, "late");
  EXPECT_EQ(second.body, "GET /fast 0");
  std::lock_guard lock(mu);
  EXPECT_TRUE(fast_answered);
}

TEST(HttpServerTest, PipelineIsBoundedAndEveryAnswerArrivesInOrder) {
  Parking parking;
  std::atomic<int> outstanding{0}, max_outstanding{0};
  FnHandler handler([&](Request&& request, Responder respond) {
    int now = ++outstanding;
    int seen = max_outstanding.load();
    while (now > seen && !max_outstanding.compare_exchange_weak(seen, now)) {
    }
    parking.Park(std::string(request.target()), std::move(respond));
  });
  HttpServerOptions options;
  options.max_pipelined = 2;
  auto server = StartServer(handler, options);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  std::string requests;
  for (int i = 0; i < 6; ++i) requests += GetRequest("/p/" + std::to_string(i));
  ASSERT_TRUE(client.Send(requests));
  ASSERT_TRUE(parking.WaitParkedTotal(2));
  for (int i = 0; i < 6; ++i) {
    auto parked = parking.Take();
    ASSERT_TRUE(parked) << "request " << i << " never reached the handler";
    --outstanding;
    parked->second(TextResponse(parked->first));
  }
  for (int i = 0; i < 6; ++i) {
    HttpResponse response;
    ASSERT_TRUE(client.Read(response));
    EXPECT_EQ(response.body, "/p/" + std::to_string(i));
  }
  EXPECT_LE(max_outstanding.load(), 2);
  EXPECT_EQ(max_outstanding.load(), 2);
}

TEST(HttpServerTest, OversizedBodyIsRefusedFromTheHeaderAndTheConnectionCloses) {
  std::atomic<int> handled{0};
  FnHandler handler([&](Request&& request, Responder respond) {
    ++handled;
    respond(EchoResponse(request));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  // The header announces 2 MiB; the body is never sent.
  ASSERT_TRUE(
      client.Send("POST /api/v1/tickets HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                  "Content-Length: 2097152\r\n\r\n"));
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.status, 413);
  EXPECT_FALSE(response.KeepAlive());
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  auto error = ParseErrorBody(response.body);
  ASSERT_TRUE(error) << response.body;
  EXPECT_EQ(error->code, "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(error->limit_bytes, 1 << 20);
  EXPECT_TRUE(client.ReadsEof());
  EXPECT_EQ(handled.load(), 0);
}

TEST(HttpServerTest, OversizedChunkedBodyIsRefused) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  HttpServerOptions options;
  options.body_limit = 1000;
  auto server = StartServer(handler, options);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(
      client.Send("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "400\r\n" +
                  std::string(0x400, 'a') + "\r\n"));
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.status, 413);
  auto error = ParseErrorBody(response.body);
  ASSERT_TRUE(error) << response.body;
  EXPECT_EQ(error->limit_bytes, 1000);
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServerTest, BodyAtTheLimitIsAccepted) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  HttpServerOptions options;
  options.body_limit = 5000;
  auto server = StartServer(handler, options);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(
      client.Send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'b')));
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "POST /x 5000");
}

TEST(HttpServerTest, TooLargeAfterAPipelinedRequestKeepsOrder) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(
      client.Send(GetRequest("/first") + "POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 9999999\r\n\r\n"));
  HttpResponse first, second;
  ASSERT_TRUE(client.Read(first));
  ASSERT_TRUE(client.Read(second));
  EXPECT_EQ(first.body, "GET /first 0");
  EXPECT_EQ(second.status, 413);
  EXPECT_TRUE(client.ReadsEof());
}

struct Malformed {
  const char* name;
  std::string bytes;
};
// Keeps test names short: the bytes can be 70 KiB.
void PrintTo(const Malformed& c, std::ostream* os) { *os << c.name; }

class MalformedRequestTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedRequestTest, GetsA400JsonErrorAndTheConnectionCloses) {
  std::atomic<int> handled{0};
  FnHandler handler([&](Request&& request, Responder respond) {
    ++handled;
    respond(EchoResponse(request));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send(GetParam().bytes));
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.status, 400);
  EXPECT_FALSE(response.KeepAlive());
  auto error = ParseErrorBody(response.body);
  ASSERT_TRUE(error) << response.body;
  EXPECT_EQ(error->code, "VALIDATION_ERROR");
  EXPECT_TRUE(client.ReadsEof());
  EXPECT_EQ(handled.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Garbage, MalformedRequestTest,
    ::testing::Values(Malformed{"words", "HELLO WORLD\r\n\r\n"},
                      Malformed{"binary", "\x01\x02\xff garbage\r\n\r\n"},
                      Malformed{"version", "GET / HTTP/9.9\r\n\r\n"},
                      Malformed{"target", "GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n"},
                      Malformed{"field", "GET / HTTP/1.1\r\nBad Header\r\n\r\n"},
                      Malformed{"length", "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"},
                      Malformed{"chunk", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"},
                      Malformed{"huge_header",
                                "GET / HTTP/1.1\r\nX-Big: " + std::string(70 * 1024, 'x') + "\r\n\r\n"}),
    [](const ::testing::TestParamInfo<Malformed>& info) { return std::string(info.param.name); });

TEST(HttpServerTest, ConnectionCloseRequestGetsItsAnswerThenEof) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send(GetRequest("/bye", /*keep_alive=*/false)));
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.body, "GET /bye 0");
  EXPECT_FALSE(response.KeepAlive());
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServerTest, Http10WithoutKeepAliveIsAnsweredAsHttp10) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send("GET /old HTTP/1.0\r\n\r\n"));
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.version, 10);
  EXPECT_EQ(response.body, "GET /old 0");
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpServerTest, ExpectContinueGetsAnInterimAnswerBeforeTheBody) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(
      client.Send("POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3000\r\n\r\n"));
  HttpResponse interim;
  ASSERT_TRUE(client.Read(interim));
  EXPECT_EQ(interim.status, 100);
  ASSERT_TRUE(client.Send(std::string(3000, 'c')));
  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.body, "POST /up 3000");
}

TEST(HttpServerTest, ManyClientsInParallel) {
  FnHandler handler([](Request&& request, Responder respond) {
    // Half the answers come from a detached thread, as the engine's would.
    if (request.target().ends_with("/0")) return respond(EchoResponse(request));
    std::thread([request = std::move(request), respond = std::move(respond)] {
      respond(EchoResponse(request));
    }).detach();
  });
  HttpServerOptions options;
  options.threads = 4;
  auto server = StartServer(handler, options);
  ASSERT_TRUE(server);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client("127.0.0.1", server->port());
      if (!client.Connect()) return;
      for (int i = 0; i < 40; ++i) {
        std::string target = "/c" + std::to_string(c) + "/" + std::to_string(i % 2);
        HttpResponse response = RawGet(client, target);
        if (response.status == 0 || response.body != "GET " + target + " 0") return;
        ++ok;
      }
    });
  }
  for (auto& thread : clients) thread.join();
  EXPECT_EQ(ok.load(), 8 * 40);
}

TEST(HttpServerTest, StartFailsOnAPortInUse) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto first = StartServer(handler);
  ASSERT_TRUE(first);
  HttpServerOptions options;
  options.address = "127.0.0.1";
  options.port = first->port();
  std::unique_ptr<HttpServer> second;
  Status s = HttpServer::Start(options, handler, &second);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_FALSE(second);
}

TEST(HttpServerTest, StartFailsOnABadAddress) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  HttpServerOptions options;
  options.address = "not an address";
  options.port = 0;
  std::unique_ptr<HttpServer> server;
  EXPECT_FALSE(HttpServer::Start(options, handler, &server).ok());
  EXPECT_FALSE(server);
}

}  // namespace
}  // namespace ticketd::api::testing

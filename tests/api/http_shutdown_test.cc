// HttpServer shutdown and late answers: Stop() drains in-flight requests,
// closes idle connections, and an answer that comes after the server is
// gone is dropped without harm. Also: a handler that loses its responder.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <thread>

#include "server_fixture.h"

namespace ticketd::api::testing {
namespace {

// True once connecting to `port` is refused: the server stopped accepting.
bool WaitUntilRefused(std::uint16_t port) {
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    boost::system::error_code ec;
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec == boost::asio::error::connection_refused) return true;
    std::this_thread::yield();
  }
  return false;
}

TEST(HttpShutdownTest, StopCompletesARequestInFlight) {
  Parking parking;
  FnHandler handler([&](Request&& request, Responder respond) {
    parking.Park(std::string(request.target()), std::move(respond));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send(GetRequest("/in-flight")));
  auto parked = parking.Take();
  ASSERT_TRUE(parked);

  const std::uint16_t port = server->port();
  std::thread stopper([&] { server->Stop(std::chrono::seconds(20)); });
  // Stop() has begun (no new connections) while the request is still open.
  EXPECT_TRUE(WaitUntilRefused(port));
  parked->second(TextResponse("done"));

  HttpResponse response;
  ASSERT_TRUE(client.Read(response));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "done");
  EXPECT_FALSE(response.KeepAlive());  // the last answer announces the close
  EXPECT_TRUE(client.ReadsEof());
  stopper.join();
}

TEST(HttpShutdownTest, StopClosesIdleKeepAliveConnections) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  HttpResponse one = RawGet(client, "/one");
  ASSERT_NE(one.status, 0) << one.body;
  server->Stop(std::chrono::seconds(20));  // returns without waiting for the idle client
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpShutdownTest, DrainDeadlineClosesAConnectionWhoseAnswerNeverComes) {
  Parking parking;
  FnHandler handler([&](Request&& request, Responder respond) {
    parking.Park(std::string(request.target()), std::move(respond));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send(GetRequest("/never")));
  auto parked = parking.Take();
  ASSERT_TRUE(parked);
  server->Stop(std::chrono::milliseconds(0));
  EXPECT_TRUE(client.ReadsEof());
  // The engine answers after the server stopped, and again after it is
  // destroyed: both answers are dropped.
  parked->second(TextResponse("too late"));
  server.reset();
  parked->second(TextResponse("far too late"));
}

TEST(HttpShutdownTest, AnswerAfterTheServerIsDestroyedIsDropped) {
  Parking parking;
  FnHandler handler([&](Request&& request, Responder respond) {
    parking.Park(std::string(request.target()), std::move(respond));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  ASSERT_TRUE(client.Send(GetRequest("/a") + GetRequest("/b")));
  auto a = parking.Take();
  ASSERT_TRUE(a);
  ASSERT_TRUE(parking.WaitParkedTotal(2));
  auto b = parking.Take();
  ASSERT_TRUE(b);
  server.reset();  // the destructor stops with no drain
  a->second(TextResponse("a"));
  {
    Responder dropped = std::move(b->second);  // dropping it unanswered is harmless too
  }
  EXPECT_TRUE(client.ReadsEof());
}

TEST(HttpShutdownTest, StopTwiceIsHarmless) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  const std::uint16_t port = server->port();
  server->Stop(std::chrono::milliseconds(100));
  server->Stop(std::chrono::milliseconds(100));
  EXPECT_TRUE(WaitUntilRefused(port));
}

TEST(HttpSessionTest, ResponderDroppedUnansweredBecomesA503) {
  FnHandler handler([](Request&& request, Responder respond) {
    if (request.target() == "/drop") return;  // a buggy handler
    respond(EchoResponse(request));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  HttpResponse dropped = RawGet(client, "/drop");
  ASSERT_NE(dropped.status, 0);
  EXPECT_EQ(dropped.status, 503);
  EXPECT_EQ(dropped.Header("Retry-After"), "1");
  auto error = ParseErrorBody(dropped.body);
  ASSERT_TRUE(error) << dropped.body;
  // The connection is still usable.
  HttpResponse next = RawGet(client, "/next");
  ASSERT_NE(next.status, 0);
  EXPECT_EQ(next.body, "GET /next 0");
}

TEST(HttpSessionTest, SecondAnswerToOneRequestIsIgnored) {
  FnHandler handler([](Request&&, Responder respond) {
    respond(TextResponse("first"));
    respond(TextResponse("second"));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  EXPECT_EQ(RawGet(client, "/1").body, "first");
  EXPECT_EQ(RawGet(client, "/2").body, "first");
}

TEST(HttpSessionTest, AHandlerThatThrowsDoesNotStopTheServer) {
  FnHandler handler([](Request&& request, Responder respond) {
    if (request.target() == "/throw") throw std::runtime_error("handler bug");
    respond(EchoResponse(request));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  EXPECT_EQ(RawGet(client, "/throw").status, 503);
  EXPECT_EQ(RawGet(client, "/fine").body, "GET /fine 0");
}

TEST(HttpSessionTest, BodyOnA204IsDroppedRatherThanSent) {
  FnHandler handler([](Request&&, Responder respond) {
    Response response{http::status::no_content, 11};
    response.body() = "should not be here";
    respond(std::move(response));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  HttpClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.Connect());
  HttpResponse response = RawGet(client, "/x");
  ASSERT_NE(response.status, 0);
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
  HttpResponse next = RawGet(client, "/y");  // framing intact
  ASSERT_NE(next.status, 0) << next.body;
  EXPECT_EQ(next.status, 204);
}

}  // namespace
}  // namespace ticketd::api::testing

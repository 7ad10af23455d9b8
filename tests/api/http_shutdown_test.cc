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
    beast::error_code ec;
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
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  ASSERT_FALSE(client.Send(GetRequest("/in-flight")));
  auto parked = parking.Take();
  ASSERT_TRUE(parked);

  const std::uint16_t port = server->port();
  std::thread stopper([&] { server->Stop(std::chrono::seconds(20)); });
  // Stop() has begun (no new connections) while the request is still open.
  EXPECT_TRUE(WaitUntilRefused(port));
  parked->second(TextResponse("done"));

  ClientResponse response;
  ASSERT_FALSE(client.Read(response));
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.body(), "done");
  EXPECT_FALSE(response.keep_alive());  // the last answer announces the close
  EXPECT_TRUE(client.ReadsEof());
  stopper.join();
}

TEST(HttpShutdownTest, StopClosesIdleKeepAliveConnections) {
  FnHandler handler([](Request&& request, Responder respond) { respond(EchoResponse(request)); });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  beast::error_code ec;
  client.Get("/one", &ec);
  ASSERT_FALSE(ec);
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
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  ASSERT_FALSE(client.Send(GetRequest("/never")));
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
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  ASSERT_FALSE(client.Send(GetRequest("/a") + GetRequest("/b")));
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
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  beast::error_code ec;
  ClientResponse dropped = client.Get("/drop", &ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(dropped.result_int(), 503);
  EXPECT_EQ(dropped[http::field::retry_after], "1");
  auto error = ParseErrorBody(dropped.body());
  ASSERT_TRUE(error) << dropped.body();
  // The connection is still usable.
  ClientResponse next = client.Get("/next", &ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(next.body(), "GET /next 0");
}

TEST(HttpSessionTest, SecondAnswerToOneRequestIsIgnored) {
  FnHandler handler([](Request&&, Responder respond) {
    respond(TextResponse("first"));
    respond(TextResponse("second"));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  beast::error_code ec;
  EXPECT_EQ(client.Get("/1", &ec).body(), "first");
  ASSERT_FALSE(ec);
  EXPECT_EQ(client.Get("/2", &ec).body(), "first");
  ASSERT_FALSE(ec);
}

TEST(HttpSessionTest, AHandlerThatThrowsDoesNotStopTheServer) {
  FnHandler handler([](Request&& request, Responder respond) {
    if (request.target() == "/throw") throw std::runtime_error("handler bug");
    respond(EchoResponse(request));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  beast::error_code ec;
  EXPECT_EQ(client.Get("/throw", &ec).result_int(), 503);
  ASSERT_FALSE(ec);
  EXPECT_EQ(client.Get("/fine", &ec).body(), "GET /fine 0");
  ASSERT_FALSE(ec);
}

TEST(HttpSessionTest, BodyOnA204IsDroppedRatherThanSent) {
  FnHandler handler([](Request&&, Responder respond) {
    Response response{http::status::no_content, 11};
    response.body() = "should not be here";
    respond(std::move(response));
  });
  auto server = StartServer(handler);
  ASSERT_TRUE(server);
  RawClient client(server->port());
  ASSERT_TRUE(client.connected());
  beast::error_code ec;
  ClientResponse response = client.Get("/x", &ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(response.result_int(), 204);
  EXPECT_TRUE(response.body().empty());
  ClientResponse next = client.Get("/y", &ec);  // framing intact
  ASSERT_FALSE(ec);
  EXPECT_EQ(next.result_int(), 204);
}

}  // namespace
}  // namespace ticketd::api::testing

// The Beast server with a trivial handler, driven by a real client over loopback.
#include "http_server.h"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <future>
#include <thread>
#include <utility>

namespace ticketd::api {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;

// Answers "/slow" from another thread after "/fast" has been answered.
class TestHandler : public RequestHandler {
 public:
  void Handle(Request&& request, Responder respond) override {
    std::string target(request.target());
    Response response{http::status::ok, request.version()};
    response.body() = target;
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    if (target == "/slow") {
      std::thread([this, respond, response = std::move(response)]() mutable {
        release_.get_future().wait();
        respond(std::move(response));
      }).detach();
      return;
    }
    if (target == "/fast") release_.set_value();
    respond(std::move(response));
  }

 private:
  std::promise<void> release_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.port = 0;
    options.threads = 2;
    ASSERT_TRUE(HttpServer::Start(options, handler_, &server_).ok());
    stream_.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), server_->port()));
  }
  void TearDown() override { server_->Stop(std::chrono::milliseconds(1000)); }

  Response Read() {
    Response response;
    http::read(stream_, buffer_, response);
    return response;
  }
  void Send(std::string_view raw) { net::write(stream_, net::buffer(raw.data(), raw.size())); }

  TestHandler handler_;
  std::unique_ptr<HttpServer> server_;
  net::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
};

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 100; ++i) {
    Send("GET /n" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    Response r = Read();
    EXPECT_EQ(r.result(), http::status::ok);
    EXPECT_EQ(r.body(), "/n" + std::to_string(i));
  }
}

TEST_F(HttpServerTest, PipelinedAnswersKeepRequestOrder) {
  Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(Read().body(), "/slow");
  EXPECT_EQ(Read().body(), "/fast");
}

TEST_F(HttpServerTest, OversizedBodyIs413FromTheHeader) {
  Send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n");
  Response r = Read();
  EXPECT_EQ(r.result(), http::status::payload_too_large);
  EXPECT_NE(r.body().find("PAYLOAD_TOO_LARGE"), std::string::npos);
}

TEST_F(HttpServerTest, GarbageIs400Json) {
  Send("NOT HTTP AT ALL\r\n\r\n");
  Response r = Read();
  EXPECT_EQ(r.result(), http::status::bad_request);
  EXPECT_NE(r.body().find("VALIDATION_ERROR"), std::string::npos);
}

}  // namespace
}  // namespace ticketd::api

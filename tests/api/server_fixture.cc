#include "server_fixture.h"

#include <gtest/gtest.h>
#include <simdjson.h>

namespace ticketd::api::testing {

Response TextResponse(std::string body) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, "text/plain");
  response.body() = std::move(body);
  return response;
}

Response EchoResponse(const Request& request) {
  return TextResponse(std::string(request.method_string()) + " " + std::string(request.target()) + " " +
                      std::to_string(request.body().size()));
}

void Parking::Park(std::string target, Responder respond) {
  std::lock_guard lock(mu_);
  parked_.emplace_back(std::move(target), std::move(respond));
  ++total_;
  changed_.notify_all();
}

std::optional<std::pair<std::string, Responder>> Parking::Take() {
  std::unique_lock lock(mu_);
  if (!changed_.wait_for(lock, kWait, [this] { return !parked_.empty(); })) return std::nullopt;
  auto front = std::move(parked_.front());
  parked_.pop_front();
  return front;
}

bool Parking::WaitParkedTotal(std::size_t count) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, kWait, [&] { return total_ >= count; });
}

std::size_t Parking::parked_total() {
  std::lock_guard lock(mu_);
  return total_;
}

std::unique_ptr<HttpServer> StartServer(RequestHandler& handler, HttpServerOptions options) {
  options.address = "127.0.0.1";
  options.port = 0;
  std::unique_ptr<HttpServer> server;
  Status s = HttpServer::Start(options, handler, &server);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (s.ok()) {
    EXPECT_NE(server->port(), 0);
  }
  return server;
}

std::optional<ErrorBody> ParseErrorBody(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(simdjson::padded_string(body)).get(root)) return std::nullopt;
  simdjson::dom::element error;
  if (root["error"].get(error)) return std::nullopt;
  std::string_view code, message;
  if (error["code"].get(code) || error["message"].get(message)) return std::nullopt;
  simdjson::dom::object details;
  if (error["details"].get(details)) return std::nullopt;
  ErrorBody out{std::string(code), std::string(message), std::nullopt};
  std::int64_t limit;
  if (!details["limit_bytes"].get(limit)) out.limit_bytes = limit;
  return out;
}

HttpResponse RawGet(HttpClient& client, std::string_view target) {
  HttpResponse response;
  if (::testing::AssertionResult sent = client.Send(GetRequest(target)); !sent) {
    response.body = sent.message();
    return response;
  }
  if (::testing::AssertionResult read = client.Read(response); !read) {
    response.status = 0;
    response.body = read.message();
  }
  return response;
}

}  // namespace ticketd::api::testing

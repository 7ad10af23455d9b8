// bare_server: the cheapest keep-alive Beast HTTP server we can write, the
// ceiling ops/bench measures ticketd against (run C). It reads each request
// (body included, so a POST costs what it costs ticketd to receive) and
// answers 201 with a fixed JSON body of about a ticket's size. No routing,
// no parsing of the body, no storage: whatever ticketd spends beyond this
// is its own work.
//
// Usage: bare_server [--listen 127.0.0.1:0] [--threads N]
// Prints "listening on http://HOST:PORT" on stderr once it accepts, like
// ticketd, and runs until SIGINT/SIGTERM.
#include <utility>  // before Asio: Boost 1.74 Asio under GCC 12 -std=c++20

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// About the size of a ticket's JSON as ticketd renders it.
constexpr std::string_view kBody =
    R"({"id":"0190b7c4-6f1e-7a3b-9c2d-5e4f3a2b1c0d","number":"TKT-000001","subject":"Bench ticket",)"
    R"("description":"created by ops/bench","priority":"medium","status":"open","type":"incident",)"
    R"("category":"bench","reporter_id":"0190b7c4-0000-7000-8000-000000000001","assignee_id":null,)"
    R"("asset_id":null,"due_at":null,"created_at":"2026-11-29T09:00:00.000Z",)"
    R"("updated_at":"2026-11-29T09:00:00.000Z","version":1})";

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket&& socket) : stream_(std::move(socket)) {}

  void Start() { Read(); }

 private:
  void Read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec) return Close();
    response_ = http::response<http::string_body>(http::status::created, request_.version());
    response_.set(http::field::content_type, "application/json");
    response_.body() = kBody;
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec || !self->response_.keep_alive()) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::acceptor&& acceptor) : ioc_(ioc), acceptor_(std::move(acceptor)) {}

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec,
                                                                               tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket))->Start();
      }
      if (self->acceptor_.is_open()) self->Accept();
    });
  }

 private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
};

bool ParseListen(std::string_view text, std::string* host, unsigned short* port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return false;
  *host = std::string(text.substr(0, colon));
  const std::string_view digits = text.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *port);
  return ec == std::errc() && end == digits.data() + digits.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--listen" && i + 1 < argc && ParseListen(argv[i + 1], &host, &port)) {
      ++i;
    } else if (arg == "--threads" && i + 1 < argc && std::atoi(argv[i + 1]) > 0) {
      threads = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: bare_server [--listen HOST:PORT] [--threads N]\n");
      return 2;
    }
  }
  try {
    net::io_context ioc(threads);
    const tcp::endpoint endpoint(net::ip::make_address(host), port);
    tcp::acceptor acceptor(ioc);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
    const tcp::endpoint bound = acceptor.local_endpoint();
    std::make_shared<Listener>(ioc, std::move(acceptor))->Accept();
    std::fprintf(stderr, "bare_server: listening on http://%s:%u\n", bound.address().to_string().c_str(),
                 bound.port());
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
    std::vector<std::thread> workers;
    for (int i = 1; i < threads; ++i) workers.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (std::thread& worker : workers) worker.join();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bare_server: %s\n", e.what());
    return 1;
  }
  return 0;
}

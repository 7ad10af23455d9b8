// HttpServer: the listener (owns the acceptor) and the worker threads.
#include "http_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <thread>
#include <vector>

#include "http_session.h"

namespace ticketd::api {
namespace {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, net::ip::tcp::acceptor&& acceptor, RequestHandler& handler,
           const HttpServerOptions& options, std::atomic<int>& in_flight)
      : ioc_(ioc),
        acceptor_(std::move(acceptor)),
        handler_(handler),
        options_(options),
        in_flight_(in_flight) {}

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec,
                                                                               net::ip::tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
        std::fprintf(stderr, "ticketd: accept: %s\n", ec.message().c_str());
      } else {
        beast::error_code ignored;
        socket.set_option(net::ip::tcp::no_delay(true), ignored);
        std::make_shared<HttpSession>(std::move(socket), self->handler_, self->options_, self->in_flight_)
            ->Run();
      }
      self->Accept();
    });
  }

  void Close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  net::io_context& ioc_;
  net::ip::tcp::acceptor acceptor_;
  RequestHandler& handler_;
  const HttpServerOptions& options_;
  std::atomic<int>& in_flight_;
};

class BeastHttpServer final : public HttpServer {
 public:
  BeastHttpServer(const HttpServerOptions& options) : options_(options), ioc_(options.threads) {}
  ~BeastHttpServer() override { Stop(std::chrono::milliseconds(0)); }

  Status Listen(RequestHandler& handler) {
    beast::error_code ec;
    auto address = net::ip::make_address(options_.address, ec);
    if (ec) return Status::InvalidArgument("bad listen address " + options_.address);
    net::ip::tcp::endpoint endpoint(address, options_.port);
    net::ip::tcp::acceptor acceptor(net::make_strand(ioc_));
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Status::IOError(ec.message());
    port_ = acceptor.local_endpoint().port();
    listener_ = std::make_shared<Listener>(ioc_, std::move(acceptor), handler, options_, in_flight_);
    listener_->Accept();
    for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
    return Status::Ok();
  }

  std::uint16_t port() const override { return port_; }

  void Stop(std::chrono::milliseconds drain) override {
    if (stopped_.exchange(true)) return;
    if (listener_) listener_->Close();
    auto deadline = std::chrono::steady_clock::now() + drain;
    while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ioc_.stop();
    for (auto& thread : threads_)
      if (thread.joinable()) thread.join();
  }

 private:
  HttpServerOptions options_;
  net::io_context ioc_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopped_{false};
  std::uint16_t port_ = 0;
};

}  // namespace

Status HttpServer::Start(const HttpServerOptions& options, RequestHandler& handler,
                         std::unique_ptr<HttpServer>* server) {
  auto beast_server = std::make_unique<BeastHttpServer>(options);
  Status s = beast_server->Listen(handler);
  if (!s.ok()) return s;
  *server = std::move(beast_server);
  return Status::Ok();
}

}  // namespace ticketd::api

// HttpServer: the listener (owns the acceptor), the worker threads and the
// shutdown sequence.
#include "http_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cstdio>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "http_session.h"

namespace ticketd::api {
namespace {

// After the drain deadline, how long closing the remaining connections may take.
constexpr std::chrono::seconds kCloseGrace{2};
// Accept errors such as EMFILE would otherwise spin: retry after a pause.
constexpr std::chrono::milliseconds kAcceptRetry{50};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, net::ip::tcp::acceptor&& acceptor, RequestHandler& handler,
           const HttpServerOptions& options, SessionRegistry& registry, AnswerQueuePtr answers)
      : ioc_(ioc),
        acceptor_(std::move(acceptor)),
        retry_(acceptor_.get_executor()),
        handler_(handler),
        options_(options),
        registry_(registry),
        answers_(std::move(answers)) {}

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [self = shared_from_this()](beast::error_code ec, net::ip::tcp::socket socket) {
                             self->OnAccept(ec, std::move(socket));
                           });
  }

  // Closes the acceptor directly; only once no worker thread runs.
  void CloseNow() {
    closed_ = true;
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

  // Stops accepting; safe from any thread.
  void Close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      self->closed_ = true;
      beast::error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_.cancel();
    });
  }

 private:
  void OnAccept(beast::error_code ec, net::ip::tcp::socket socket) {
    if (closed_ || !acceptor_.is_open()) return;
    if (ec) {
      LogHttpFailure(ec, "accept");
      retry_.expires_after(kAcceptRetry);
      retry_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec && !self->closed_) self->Accept();
      });
      return;
    }
    beast::error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);
    std::make_shared<HttpSession>(std::move(socket), handler_, options_, registry_, answers_)->Run();
    Accept();
  }

  net::io_context& ioc_;
  net::ip::tcp::acceptor acceptor_;
  net::steady_timer retry_;
  RequestHandler& handler_;
  const HttpServerOptions& options_;
  SessionRegistry& registry_;
  AnswerQueuePtr answers_;
  bool closed_ = false;  // on the acceptor's strand
};

class BeastHttpServer final : public HttpServer {
 public:
  explicit BeastHttpServer(const HttpServerOptions& options)
      : options_(options),
        ioc_(options.threads > 0 ? options.threads : 1),
        work_(ioc_.get_executor()),
        answers_(std::make_shared<AnswerQueue>(ioc_)) {}
  ~BeastHttpServer() override { Stop(std::chrono::milliseconds(0)); }

  Status Listen(RequestHandler& handler) {
    beast::error_code ec;
    auto address = net::ip::make_address(options_.address, ec);
    if (ec) return Status::InvalidArgument("bad listen address '" + options_.address + "'");
    net::ip::tcp::endpoint endpoint(address, options_.port);
    net::ip::tcp::acceptor acceptor(net::make_strand(ioc_));
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (!ec) port_ = acceptor.local_endpoint(ec).port();
    if (ec) {
      return Status::IOError("cannot listen on " + options_.address + ":" + std::to_string(options_.port) +
                             ": " + ec.message());
    }
    listener_ = std::make_shared<Listener>(ioc_, std::move(acceptor), handler, options_, registry_, answers_);
    listener_->Accept();
    const int threads = options_.threads > 0 ? options_.threads : 1;
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { RunWorker(); });
    return Status::Ok();
  }

  std::uint16_t port() const override { return port_; }

  void Stop(std::chrono::milliseconds drain) override {
    std::lock_guard lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    // Idle connections close now; busy ones after their last answer, which
    // goes out with "Connection: close". The drain is queued on every
    // session's strand before the acceptor closes, so an answer that comes
    // after a client saw the listener go away is written as the last one.
    std::vector<std::shared_ptr<SessionLink>> links = registry_.BeginStop();
    for (const auto& link : links) link->Post([](HttpSession& session) { session.BeginDrain(); });
    if (listener_) listener_->Close();
    if (!registry_.WaitEmpty(std::chrono::steady_clock::now() + drain)) {
      for (const auto& link : links) link->Post([](HttpSession& session) { session.Close(); });
      registry_.WaitEmpty(std::chrono::steady_clock::now() + kCloseGrace);
    }
    // From here on a late answer from the engine is dropped, not posted.
    for (const auto& link : links) link->Detach();
    answers_->Stop();
    work_.reset();
    ioc_.stop();
    for (auto& thread : threads_)
      if (thread.joinable()) thread.join();
    // ioc_.stop() may have overtaken the posted Close(): stop listening now.
    if (listener_) listener_->CloseNow();
  }

 private:
  void RunWorker() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {  // keep serving: one bad handler must not stop a worker
        std::fprintf(stderr, "ticketd: http worker: %s\n", e.what());
      } catch (...) {
        std::fprintf(stderr, "ticketd: http worker: unknown exception\n");
      }
    }
  }

  // Destruction runs bottom-up: threads are joined (Stop) before the
  // io_context goes, and the registry outlives every session.
  const HttpServerOptions options_;
  SessionRegistry registry_;
  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  AnswerQueuePtr answers_;  // shared with the sessions' pending answers, which may outlive the server
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  std::mutex stop_mu_;
  bool stopped_ = false;
  std::uint16_t port_ = 0;
};

}  // namespace

Status HttpServer::Start(const HttpServerOptions& options, RequestHandler& handler,
                         std::unique_ptr<HttpServer>* server) {
  try {
    auto beast_server = std::make_unique<BeastHttpServer>(options);
    Status s = beast_server->Listen(handler);
    if (!s.ok()) return s;
    *server = std::move(beast_server);
    return Status::Ok();
  } catch (const std::exception& e) {  // thread creation or allocation failed
    return Status::IOError(std::string("cannot start the HTTP server: ") + e.what());
  }
}

}  // namespace ticketd::api

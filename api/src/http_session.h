// HttpSession: one keep-alive connection (Beast's advanced server pattern).
// Runs on its own strand; reads a request, hands it to the RequestHandler,
// and keeps reading while earlier answers are pending (a bounded pipeline
// that pauses reading when full); answers are written strictly in request
// order, whichever thread completes them. A body over the limit is refused
// with 413 from its header alone; a malformed request gets 400; both close
// the connection.
//
// Threads: every HttpSession member runs on the session's strand. Other
// threads (the engine's writer answering a request, Stop()) reach a session
// only through its SessionLink, which posts onto the strand and forgets the
// session once it has closed, so a late answer is dropped, never written to
// a dead socket or posted to a stopped io_context.
#pragma once

// clang-format off
#include <utility>  // before any Asio header (Boost 1.74, GCC 12)
// clang-format on

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http_server.h"

namespace ticketd::api {

namespace net = boost::asio;
namespace beast = boost::beast;

class SessionLink;
class DirectRequestBody;

// The one fail() logger: ordinary disconnects, timeouts and cancellations
// are not worth a line on stderr.
void LogHttpFailure(beast::error_code ec, const char* what);

// Every open connection of one server, so Stop() can drain and close them.
// Thread-safe.
class SessionRegistry {
 public:
  // False once stopping began: the caller closes the new connection.
  bool Add(const std::shared_ptr<SessionLink>& link);
  void Remove(const SessionLink* link);
  // Refuses new connections and returns the open ones.
  std::vector<std::shared_ptr<SessionLink>> BeginStop();
  // Waits until no connection is open or the deadline passes; true if none.
  bool WaitEmpty(std::chrono::steady_clock::time_point deadline);

 private:
  std::mutex mu_;
  std::condition_variable empty_;
  bool stopping_ = false;
  std::unordered_map<const SessionLink*, std::shared_ptr<SessionLink>> links_;
};

class AnswerQueue;
using AnswerQueuePtr = std::shared_ptr<AnswerQueue>;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // One request's place in the write order; filled when its answer arrives.
  struct Slot {
    std::optional<Response> response;
    unsigned version = 11;
    bool keep_alive = true;
    bool head = false;  // a HEAD request: the answer's header only (RFC 9110 9.3.2)
    ResponseStreamPtr stream;  // a streamed answer: `response` is its header
  };

  HttpSession(net::ip::tcp::socket&& socket, RequestHandler& handler, const HttpServerOptions& options,
              SessionRegistry& registry, AnswerQueuePtr answers);
  // Registers with the registry (or closes at once when stopping) and starts reading.
  void Run();

  net::any_io_executor executor() { return stream_.get_executor(); }
  // Strand only: the handler answered the request held by `slot`.
  void OnResponse(const std::shared_ptr<Slot>& slot, Response&& response, ResponseStreamPtr stream = nullptr);
  // Strand only: stop reading; close once the pending answers are written.
  void BeginDrain();
  // Strand only: close now, dropping pending answers.
  void Close();

 private:
  void ReadHeader();
  void OnHeader(beast::error_code ec);
  void SendContinue();
  void ReadBody();
  void OnBody(beast::error_code ec);
  void Dispatch(Request&& request, RequestBodyPtr body = nullptr);
  // Queues a last answer (413/400) and stops reading; closes once written.
  void Refuse(Response&& response);
  void MaybeReadMore();
  void WriteNext();
  void OnWrite(beast::error_code ec, bool close);
  // A write ended: clears writing_, drops the head slot when the write
  // finished it, and on an error logs and closes. True: carry on.
  bool WriteEnded(beast::error_code ec, bool slot_done);
  // Streamed answers (http_session_stream.cc).
  void StartStream(Slot& slot);
  void OnStreamHeader(beast::error_code ec);
  void WatchPeer();
  void PullStream(bool abort);
  void WriteStreamBytes(std::string bytes, bool last);
  void EndStream();
  // Streamed request bodies (request_body.h, http_session_body.cc).
  void StartStreamedBody();
  void ReadPiece(std::function<void(BodyPiece&&)> on_piece);
  void ReadBodyBytes();
  // Sizes piece_buffer_ to kBodyPieceBytes, taking a recycled piece if it has none.
  void FillPieceBuffer();
  void OnBodyBytes(beast::error_code ec);
  void EndStreamedBody(BodyPiece::End end);
  // The streamed request was answered before its body was read: drop the rest.
  void DrainStreamedBody();
  // A Content-Length body read by the handler's worker (SocketBody).
  bool StartDirectBody();
  void WaitBodyReadable(std::function<void(bool)> ready);
  void OnBodyReadable(beast::error_code ec);
  void OnBodyWaitExpired(beast::error_code ec);
  void DropDirectBytes();
  void OnDirectBytesDropped(beast::error_code ec, std::size_t bytes);
  void StopDirectBody();  // Close(): the worker's reads and waits end
  // A paced upload's pause (RequestBody::Pause), either kind of body.
  void PauseBody(std::chrono::steady_clock::duration delay, std::function<void(bool)> resume);
  void OnBodyPauseEnded(beast::error_code ec, std::uint64_t generation);
  void EndBodyPause();  // answered or closed: a pending pause ends with false
  friend class DirectRequestBody;
  bool HoldsAnswerForBody() const { return upload_slot_ && !slots_.empty() && slots_.front() == upload_slot_; }
  friend class SessionRequestBody;

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::size_t body_limit_ = 0;  // this request's: upload routes get more (upload_limits.h)
  RequestHandler& handler_;
  const HttpServerOptions options_;
  SessionRegistry& registry_;
  AnswerQueuePtr answers_;
  std::shared_ptr<SessionLink> link_;
  std::deque<std::shared_ptr<Slot>> slots_;
  bool reading_ = false;
  bool writing_ = false;
  bool closing_ = false;  // no more requests: close once slots_ is written
  bool closed_ = false;
  // The streamed answer being written, once its header is on its way.
  ResponseStreamPtr stream_body_;
  bool stream_chunked_ = false;  // HTTP/1.1: chunked; 1.0: ends with the connection
  bool stream_ending_ = false;   // send what is left, end the body, close
  bool draining_ = false;        // the server stops: a stream that starts now ends at once
  std::array<char, 256> peer_bytes_{};  // what a streaming peer sends is read and dropped
  // >>> attachments (issue 13): the request whose body is pulled as it arrives.
  bool stream_request_body_ = false;  // the header just read is such a request
  std::optional<http::request_parser<http::buffer_body>> upload_parser_;
  std::shared_ptr<Slot> upload_slot_;  // its slot, until its body is read
  std::function<void(BodyPiece&&)> piece_callback_;  // the handler's pending Read
  bool body_reading_ = false;   // a socket read for the body is in flight
  bool dropping_body_ = false;  // answered already: the rest is read and dropped
  std::string piece_buffer_;
  std::shared_ptr<DirectRequestBody> direct_body_;  // a Content-Length body its worker reads
  std::function<void(bool)> readable_callback_;     // the worker's pending WhenReadable
  std::optional<net::steady_timer> body_wait_timer_;  // bounds that wait by the read timeout
  char body_peek_ = 0;  // that wait peeks at one byte
  std::optional<net::steady_timer> body_pause_timer_;  // a paced upload's pause (bulk_read_pacer.h)
  std::function<void(bool)> pause_callback_;            // its pending resume
  std::uint64_t body_pause_generation_ = 0;             // tells a stale timer completion apart
};

// The way into a session from any thread. Holds the session alive until it
// closes (or the server stops); afterwards Post() does nothing.
class SessionLink {
 public:
  explicit SessionLink(std::shared_ptr<HttpSession> session) : session_(std::move(session)) {}

  // Runs fn(HttpSession&) on the session's strand, unless detached.
  template <class Fn>
  void Post(Fn&& fn) {
    std::lock_guard lock(mu_);
    if (!session_) return;
    net::post(session_->executor(),
              [session = session_, fn = std::forward<Fn>(fn)]() mutable { fn(*session); });
  }

  // After this returns no Post() reaches the session.
  void Detach() {
    std::shared_ptr<HttpSession> session;
    std::lock_guard lock(mu_);
    session.swap(session_);
  }

  // The session, or null once detached.
  std::shared_ptr<HttpSession> Session() {
    std::lock_guard lock(mu_);
    return session_;
  }

 private:
  std::mutex mu_;
  std::shared_ptr<HttpSession> session_;
};

// Answers given on other threads reach their sessions through one queue per
// server. The engine's writer answers a whole batch of commands in a row:
// the first answer queued posts one drain onto the io_context and the rest
// ride along, so a batch of 64 answers costs one post (and at most one
// thread wake-up) instead of 64. The drain runs on a server thread and
// enters each session's strand directly (net::dispatch) when it is free.
// Thread-safe.
class AnswerQueue : public std::enable_shared_from_this<AnswerQueue> {
 public:
  explicit AnswerQueue(net::io_context& ioc) : ioc_(ioc) {}
  AnswerQueue(const AnswerQueue&) = delete;
  AnswerQueue& operator=(const AnswerQueue&) = delete;

  // OnResponse(slot, response, stream) on the session's strand, unless the
  // session has closed or the queue has stopped by then.
  void Push(std::shared_ptr<SessionLink> link, std::shared_ptr<HttpSession::Slot> slot, Response&& response,
            ResponseStreamPtr stream);
  // From here on answers are dropped (the server stops; its io_context
  // must not be posted to once stopped).
  void Stop();

 private:
  struct Answer {
    std::shared_ptr<SessionLink> link;
    std::shared_ptr<HttpSession::Slot> slot;
    Response response;
    ResponseStreamPtr stream;
  };
  void Drain();

  net::io_context& ioc_;
  std::mutex mu_;
  std::vector<Answer> queued_;  // guarded by mu_
  bool drain_posted_ = false;   // guarded by mu_
  bool stopped_ = false;        // guarded by mu_
};

}  // namespace ticketd::api

#include "http_session.h"

#include <algorithm>

#include "upload_limits.h"

#include "ticketd/base/answer_batch.h"
#include "ticketd/projections/json_writer.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <exception>
#include <limits>
#include <string>

namespace ticketd::api {
namespace {

constexpr std::uint32_t kHeaderLimit = 64 * 1024;

// The peer went away or stayed silent: nothing to answer, just close.
bool IsDisconnect(beast::error_code ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::operation_aborted ||
         ec == beast::error::timeout;
}

// The contract's error body, built here so the transport needs no router code.
Response ErrorJson(http::status status, std::string_view code, std::string_view message,
                   std::string_view details_json) {
  std::string body = "{\"error\":{\"code\":\"";
  body += code;
  body += "\",\"message\":";
  projections::AppendJsonEscaped(body, message);  // quotes included
  body += ",\"details\":";
  body += details_json;
  body += "}}";
  Response response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

Response TooLarge(std::size_t limit) {
  std::string bytes = std::to_string(limit);
  return ErrorJson(http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
                   "the request body is larger than the limit of " + bytes + " bytes",
                   "{\"limit_bytes\":" + bytes + "}");
}

Response BadRequest(beast::error_code ec) {
  std::string message = ec == http::error::header_limit
                            ? "the request header is larger than " + std::to_string(kHeaderLimit) + " bytes"
                            : "the request is not valid HTTP/1.1: " + ec.message();
  return ErrorJson(http::status::bad_request, "VALIDATION_ERROR", message, "{}");
}

// A handler that lost its responder without answering must not leave the
// connection waiting forever: the client gets a retryable 503 instead.
Response Unanswered() {
  Response response = ErrorJson(http::status::service_unavailable, "UNAVAILABLE",
                                "the request was not answered; retry", "{}");
  response.set(http::field::retry_after, "1");
  return response;
}

// Shared by every copy of one request's Responder: the first answer wins,
// later ones are ignored, and none at all becomes Unanswered().
class Completion {
 public:
  Completion(std::shared_ptr<SessionLink> link, std::shared_ptr<HttpSession::Slot> slot, AnswerQueuePtr answers)
      : link_(std::move(link)), slot_(std::move(slot)), answers_(std::move(answers)) {}
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;
  ~Completion() {
    if (answered_.exchange(true)) return;
    try {
      Deliver(Unanswered());
    } catch (...) {  // out of memory in a destructor: the drain deadline closes it
    }
  }

  void Respond(Response&& response) {
    if (!answered_.exchange(true)) Deliver(std::move(response));
  }
  void Stream(Response&& head, ResponseStreamPtr stream) {
    if (!answered_.exchange(true)) Deliver(std::move(head), std::move(stream));
  }

 private:
  void Deliver(Response&& response, ResponseStreamPtr stream = nullptr) {
    answers_->Push(link_, slot_, std::move(response), std::move(stream));
  }

  std::shared_ptr<SessionLink> link_;
  std::shared_ptr<HttpSession::Slot> slot_;
  AnswerQueuePtr answers_;
  std::atomic<bool> answered_{false};
};

}  // namespace

void LogHttpFailure(beast::error_code ec, const char* what) {
  if (IsDisconnect(ec) || ec == net::error::broken_pipe || ec == net::error::bad_descriptor) return;
  std::fprintf(stderr, "ticketd: http %s: %s\n", what, ec.message().c_str());
}

HttpSession::HttpSession(net::ip::tcp::socket&& socket, RequestHandler& handler,
                         const HttpServerOptions& options, SessionRegistry& registry, AnswerQueuePtr answers)
    : stream_(std::move(socket)),
      handler_(handler),
      options_(options),
      registry_(registry),
      answers_(std::move(answers)) {}

void HttpSession::Run() {
  link_ = std::make_shared<SessionLink>(shared_from_this());
  if (!registry_.Add(link_)) {  // the server is stopping
    link_->Detach();
    closed_ = true;
    beast::error_code ignored;
    stream_.socket().close(ignored);
    return;
  }
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void HttpSession::ReadHeader() {
  if (closing_ || closed_) return;
  reading_ = true;
  parser_.emplace();
  // Room for an upload until the header says which route this is (OnHeader).
  parser_->body_limit(std::max(options_.body_limit, kUploadBodyLimit));
  parser_->header_limit(kHeaderLimit);
  stream_.expires_after(options_.read_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
}

void HttpSession::OnHeader(beast::error_code ec) {
  if (closed_) return;
  // Beast already reports an announced Content-Length over the limit here,
  // so the body is never read.
  if (ec == http::error::body_limit) return Refuse(TooLarge(options_.body_limit));
  if (!ec && closing_) ec = http::error::end_of_stream;  // draining: take no new request
  if (ec) {
    reading_ = false;
    // A malformed request is the client's error: answered, not logged.
    if (!IsDisconnect(ec)) return Refuse(BadRequest(ec));
    closing_ = true;
    if (slots_.empty()) Close();
    return;
  }
  body_limit_ = handler_.BodyLimit(parser_->get(), options_.body_limit);
  stream_request_body_ = handler_.StreamsBody(parser_->get());  // >>> attachments: uploads
  parser_->body_limit(body_limit_);
  auto length = parser_->content_length();
  if (length && *length > body_limit_) return Refuse(TooLarge(body_limit_));
  if (parser_->is_done()) {
    reading_ = false;
    return Dispatch(parser_->release());
  }
  // curl and others wait for "100 Continue" before sending a large body. It
  // is only sent while nothing else is queued, so it cannot overtake an
  // earlier answer; otherwise the client sends the body after its own delay.
  if (beast::iequals(parser_->get()[http::field::expect], "100-continue") && slots_.empty()) {
    return SendContinue();
  }
  ReadBody();
}

void HttpSession::SendContinue() {
  writing_ = true;
  auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
  stream_.expires_after(options_.read_timeout);
  http::async_write(stream_, *interim,
                    [self = shared_from_this(), interim](beast::error_code ec, std::size_t) {
                      if (self->WriteEnded(ec, /*slot_done=*/false)) self->ReadBody();
                    });
}

void HttpSession::ReadBody() {
  if (stream_request_body_) return StartStreamedBody();  // http_session_body.cc
  stream_.expires_after(options_.read_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
}

void HttpSession::OnBody(beast::error_code ec) {
  if (closed_) return;
  reading_ = false;
  if (ec == http::error::body_limit) return Refuse(TooLarge(body_limit_));
  if (ec && !IsDisconnect(ec)) return Refuse(BadRequest(ec));
  if (ec || closing_) {
    closing_ = true;
    if (slots_.empty()) Close();
    return;
  }
  Dispatch(parser_->release());
}

void HttpSession::Dispatch(Request&& request, RequestBodyPtr body) {
  auto slot = std::make_shared<Slot>();
  slot->version = request.version();
  slot->keep_alive = request.keep_alive();
  slot->head = request.method() == http::verb::head;
  slots_.push_back(slot);
  if (!slot->keep_alive) closing_ = true;
  if (body) upload_slot_ = slot;
  auto completion = std::make_shared<Completion>(link_, slot, answers_);
  try {
    handler_.Handle(
        std::move(request), [completion](Response&& response) { completion->Respond(std::move(response)); },
        [completion](Response&& head, ResponseStreamPtr stream) {
          completion->Stream(std::move(head), std::move(stream));
        },
        std::move(body));
  } catch (const std::exception& e) {  // a handler bug must not take the server down
    std::fprintf(stderr, "ticketd: request handler threw: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "ticketd: request handler threw\n");
  }
  MaybeReadMore();
}

void HttpSession::OnResponse(const std::shared_ptr<Slot>& slot, Response&& response, ResponseStreamPtr stream) {
  if (closed_) return;
  slot->response = std::move(response);
  slot->stream = std::move(stream);
  if (slot == upload_slot_) DrainStreamedBody();
  WriteNext();
}

void HttpSession::Refuse(Response&& response) {
  reading_ = false;
  closing_ = true;
  auto slot = std::make_shared<Slot>();
  slot->keep_alive = false;
  slot->response = std::move(response);
  slots_.push_back(std::move(slot));
  WriteNext();
}

void HttpSession::MaybeReadMore() {
  const std::size_t limit = options_.max_pipelined == 0 ? 1 : options_.max_pipelined;
  if (!reading_ && !closing_ && !closed_ && slots_.size() < limit) ReadHeader();
}

void HttpSession::WriteNext() {
  if (writing_ || closed_ || slots_.empty() || !slots_.front()->response || HoldsAnswerForBody()) return;
  writing_ = true;
  Slot& slot = *slots_.front();
  if (slot.stream) return StartStream(slot);
  auto response = std::make_shared<Response>(std::move(*slot.response));
  slot.response.reset();
  const bool keep_alive = slot.keep_alive && !(closing_ && slots_.size() == 1);
  response->version(slot.version == 10 ? 10 : 11);
  response->set(http::field::server, "ticketd");
  response->keep_alive(keep_alive);
  try {
    response->prepare_payload();
  } catch (const std::exception&) {  // a body on a 1xx/204/304 answer
    response->body().clear();
    response->prepare_payload();
  }
  if (slot.head) response->body().clear();  // Content-Length stays the GET body's
  const bool close = !keep_alive || response->need_eof();
  stream_.expires_after(options_.read_timeout);
  http::async_write(stream_, *response,
                    [self = shared_from_this(), response, close](beast::error_code ec, std::size_t) {
                      self->OnWrite(ec, close);
                    });
}

bool HttpSession::WriteEnded(beast::error_code ec, bool slot_done) {
  writing_ = false;
  if (closed_) return false;
  if (slot_done) slots_.pop_front();
  if (ec) {
    LogHttpFailure(ec, "write");
    Close();
    return false;
  }
  return true;
}

void HttpSession::OnWrite(beast::error_code ec, bool close) {
  if (!WriteEnded(ec, /*slot_done=*/true)) return;
  if (close || (closing_ && slots_.empty())) return Close();
  MaybeReadMore();
  WriteNext();
}

void HttpSession::BeginDrain() {
  if (closed_) return;
  closing_ = true;
  draining_ = true;
  if (stream_body_) return EndStream();
  if (slots_.empty()) Close();
}

void HttpSession::Close() {
  if (closed_) return;
  closed_ = true;
  slots_.clear();
  if (auto stream = std::move(stream_body_)) stream->Closed();
  if (auto on_piece = std::move(piece_callback_)) on_piece(BodyPiece{{}, BodyPiece::End::kGone, 0});
  StopDirectBody();
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.close();  // cancels the pending read, if any
  link_->Detach();
  registry_.Remove(link_.get());
}

void AnswerQueue::Push(std::shared_ptr<SessionLink> link, std::shared_ptr<HttpSession::Slot> slot,
                       Response&& response, ResponseStreamPtr stream) {
  std::lock_guard lock(mu_);
  if (stopped_) return;
  queued_.push_back(Answer{std::move(link), std::move(slot), std::move(response), std::move(stream)});
  if (drain_posted_) return;
  drain_posted_ = true;
  // The engine's writer answers a batch inside an AnswerBatch: one drain
  // then takes the whole batch, posted once the last answer is queued.
  auto post = [self = shared_from_this()] {
    std::lock_guard lock(self->mu_);
    if (!self->stopped_) net::post(self->ioc_, [self] { self->Drain(); });
  };
  if (!AnswerBatch::DeferToEnd(post)) net::post(ioc_, [self = shared_from_this()] { self->Drain(); });
}

void AnswerQueue::Stop() {
  std::vector<Answer> dropped;
  std::lock_guard lock(mu_);
  stopped_ = true;
  dropped.swap(queued_);
}

void AnswerQueue::Drain() {
  std::vector<Answer> answers;
  {
    std::lock_guard lock(mu_);
    answers.swap(queued_);
    drain_posted_ = false;
  }
  for (Answer& answer : answers) {
    std::shared_ptr<HttpSession> session = answer.link->Session();
    if (!session) continue;  // closed: the answer has nowhere to go
    net::dispatch(session->executor(), [session, answer = std::move(answer)]() mutable {
      session->OnResponse(answer.slot, std::move(answer.response), std::move(answer.stream));
    });
  }
}

bool SessionRegistry::Add(const std::shared_ptr<SessionLink>& link) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  links_.emplace(link.get(), link);
  return true;
}

void SessionRegistry::Remove(const SessionLink* link) {
  std::lock_guard lock(mu_);
  links_.erase(link);
  if (links_.empty()) empty_.notify_all();
}

std::vector<std::shared_ptr<SessionLink>> SessionRegistry::BeginStop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  std::vector<std::shared_ptr<SessionLink>> links;
  links.reserve(links_.size());
  for (const auto& [key, link] : links_) links.push_back(link);
  return links;
}

bool SessionRegistry::WaitEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return empty_.wait_until(lock, deadline, [this] { return links_.empty(); });
}

}  // namespace ticketd::api

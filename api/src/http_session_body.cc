// HttpSession's streamed request bodies (request_body.h, issue 13): an
// upload is dispatched once its header is read. A Content-Length body is
// then read by the upload's worker itself (DirectRequestBody, SocketBody):
// straight from the socket into its 256 KiB piece, at the worker's lower
// priority, with no HTTP thread, strand hop or Beast buffer in between; the
// session only waits for readability when the worker finds nothing to read
// (bounded by the read timeout). A chunked body is decoded by Beast's parser
// on the session's strand, one piece at a time, only when the handler asks,
// into one buffer of kBodyPieceBytes. Either way ten concurrent 25 MiB
// uploads hold a few MiB between them. An answer given before the body is
// read waits until the rest has been read and dropped (the client is still
// sending; it gets the answer on a connection still open). Kept apart from
// http_session.cc, which buffers the bodies of every other route.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include <boost/beast/http.hpp>

#include "http_session.h"

namespace ticketd::api {
namespace {

bool PeerGone(beast::error_code ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::operation_aborted ||
         ec == beast::error::timeout;
}

}  // namespace

// The handler's side: Read posts onto the session's strand; once the session
// has closed, the Read is dropped with its callback.
class SessionRequestBody final : public RequestBody {
 public:
  explicit SessionRequestBody(std::shared_ptr<SessionLink> link) : link_(std::move(link)) {}
  void Read(std::function<void(BodyPiece&&)> on_piece) override {
    link_->Post([on_piece = std::move(on_piece)](HttpSession& session) mutable {
      session.ReadPiece(std::move(on_piece));
    });
  }
  void Pause(std::chrono::steady_clock::duration delay, std::function<void(bool)> resume) override {
    link_->Post([delay, resume = std::move(resume)](HttpSession& session) mutable {
      session.PauseBody(delay, std::move(resume));
    });
  }

 private:
  std::shared_ptr<SessionLink> link_;
};

// The body's reader, shared by the session and the handler's worker. It
// reads through its own duplicate of the socket's descriptor: the session
// may close its socket at any time (timeout, server stop) without a worker's
// recv() ever reaching a descriptor number the kernel gave to a new
// connection meanwhile.
class DirectRequestBody final : public RequestBody,
                                public SocketBody,
                                public std::enable_shared_from_this<DirectRequestBody> {
 public:
  DirectRequestBody(std::shared_ptr<SessionLink> link, int fd, std::string buffered, std::uint64_t length)
      : link_(std::move(link)), fd_(fd), buffered_(std::move(buffered)), remaining_(length) {}
  ~DirectRequestBody() override { ::close(fd_); }
  DirectRequestBody(const DirectRequestBody&) = delete;
  DirectRequestBody& operator=(const DirectRequestBody&) = delete;

  SocketBody* Direct() override { return this; }

  // For a caller that wants pieces: the same reads, on the caller's thread.
  void Read(std::function<void(BodyPiece&&)> on_piece) override {
    std::string bytes = PieceBuffers::Take();
    bytes.resize(kBodyPieceBytes);
    std::size_t got = 0;
    switch (ReadSome(bytes.data(), bytes.size(), &got)) {
      case Got::kGone:
        return on_piece(BodyPiece{{}, BodyPiece::End::kGone, 0});
      case Got::kWait:
        return WhenReadable([self = shared_from_this(), on_piece = std::move(on_piece)](bool readable) mutable {
          if (!readable) return on_piece(BodyPiece{{}, BodyPiece::End::kGone, 0});
          self->Read(std::move(on_piece));
        });
      case Got::kBytes:
        bytes.resize(got);
        return on_piece(BodyPiece{std::move(bytes), remaining() == 0 ? BodyPiece::End::kLast : BodyPiece::End::kMore, 0});
    }
  }

  Got ReadSome(char* out, std::size_t room, std::size_t* got) override {
    *got = 0;
    if (stopped_.load(std::memory_order_acquire)) return Got::kGone;
    const std::uint64_t left = remaining_.load(std::memory_order_relaxed);
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(room, left));
    if (want == 0) return Got::kGone;  // read already: nothing more comes
    if (buffered_used_ < buffered_.size()) {  // what the session read past the header
      const std::size_t take = std::min(want, buffered_.size() - buffered_used_);
      std::copy_n(buffered_.data() + buffered_used_, take, out);
      buffered_used_ += take;
      *got = take;
    }
    bool gone = false;
    while (*got < want) {
      const ssize_t n = ::recv(fd_, out + *got, want - *got, MSG_DONTWAIT);
      if (n > 0) {
        *got += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        gone = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
        break;
      }
    }
    remaining_.fetch_sub(*got, std::memory_order_relaxed);
    if (*got > 0) return Got::kBytes;  // a close after them shows on the next call
    return gone ? Got::kGone : Got::kWait;
  }

  std::uint64_t remaining() const override { return remaining_.load(std::memory_order_relaxed); }

  void WhenReadable(std::function<void(bool)> ready) override {
    link_->Post([ready = std::move(ready)](HttpSession& session) mutable { session.WaitBodyReadable(std::move(ready)); });
  }

  void Pause(std::chrono::steady_clock::duration delay, std::function<void(bool)> resume) override {
    link_->Post([delay, resume = std::move(resume)](HttpSession& session) mutable {
      session.PauseBody(delay, std::move(resume));
    });
  }

  // The session's side, on its strand. From here on ReadSome answers kGone:
  // the call was answered or the connection closed.
  void Stop() { stopped_.store(true, std::memory_order_release); }
  // Once stopped: the session drops what is left itself.
  void DropBuffered() {
    remaining_.fetch_sub(buffered_.size() - buffered_used_, std::memory_order_relaxed);
    buffered_used_ = buffered_.size();
  }
  void Dropped(std::size_t bytes) { remaining_.fetch_sub(bytes, std::memory_order_relaxed); }

 private:
  std::shared_ptr<SessionLink> link_;
  const int fd_;
  std::string buffered_;
  std::size_t buffered_used_ = 0;
  std::atomic<std::uint64_t> remaining_;
  std::atomic<bool> stopped_{false};
};

bool HttpSession::StartDirectBody() {
  const auto length = parser_->content_length();
  if (!length || parser_->chunked()) return false;
  const int fd = ::fcntl(stream_.socket().native_handle(), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return false;  // out of descriptors: the session reads the body itself
  const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size(), *length));
  std::string buffered(static_cast<const char*>(buffer_.data().data()), take);
  buffer_.consume(take);  // what follows the body stays for the next request
  direct_body_ = std::make_shared<DirectRequestBody>(link_, fd, std::move(buffered), *length);
  Request header = parser_->release();
  parser_.reset();
  Dispatch(std::move(header), direct_body_);
  return true;
}

void HttpSession::WaitBodyReadable(std::function<void(bool)> ready) {
  if (closed_ || !direct_body_ || dropping_body_ || readable_callback_) return ready(false);
  readable_callback_ = std::move(ready);
  if (!body_wait_timer_) body_wait_timer_.emplace(stream_.get_executor());
  body_wait_timer_->expires_after(options_.read_timeout);
  body_wait_timer_->async_wait([self = shared_from_this()](beast::error_code ec) { self->OnBodyWaitExpired(ec); });
  // A peek, not async_wait: Asio registers the socket edge-triggered, and
  // bytes that arrived between the worker's last recv and this call raised
  // their edge while no operation was queued. A receive is first tried at
  // once (Asio's speculative read), so it sees them; a wait would not.
  stream_.socket().async_receive(net::buffer(&body_peek_, 1), net::socket_base::message_peek,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                   self->OnBodyReadable(ec);
                                 });
}

void HttpSession::OnBodyReadable(beast::error_code ec) {
  if (body_wait_timer_) body_wait_timer_->cancel();
  auto ready = std::move(readable_callback_);
  readable_callback_ = nullptr;
  if (ready) ready(!ec && !closed_);
}

void HttpSession::OnBodyWaitExpired(beast::error_code ec) {
  // A cancelled wait, or one that ended just before a new one began.
  if (ec || !readable_callback_ || body_wait_timer_->expiry() > std::chrono::steady_clock::now()) return;
  // The client stalled mid-body: the connection closes, which ends the
  // worker's call (its WhenReadable gets false).
  Close();
}

void HttpSession::StopDirectBody() {
  if (direct_body_) direct_body_->Stop();
  if (auto ready = std::move(readable_callback_)) ready(false);
  readable_callback_ = nullptr;
  if (body_wait_timer_) body_wait_timer_->cancel();
  EndBodyPause();
}

// No read timeout runs during the pause: the stream's timer is armed only by
// the reads themselves (ReadBodyBytes, WaitBodyReadable), after it.
void HttpSession::PauseBody(std::chrono::steady_clock::duration delay, std::function<void(bool)> resume) {
  const bool body_open = direct_body_ || upload_parser_;
  if (closed_ || !body_open || dropping_body_ || pause_callback_) return resume(false);
  pause_callback_ = std::move(resume);
  if (!body_pause_timer_) body_pause_timer_.emplace(stream_.get_executor());
  body_pause_timer_->expires_after(delay);
  body_pause_timer_->async_wait([self = shared_from_this(), generation = ++body_pause_generation_](
                                    beast::error_code ec) { self->OnBodyPauseEnded(ec, generation); });
}

void HttpSession::OnBodyPauseEnded(beast::error_code ec, std::uint64_t generation) {
  // Cancelled (EndBodyPause answered already), or a completion that was
  // queued before a cancel and belongs to an ended pause.
  if (ec || generation != body_pause_generation_) return;
  auto resume = std::move(pause_callback_);
  pause_callback_ = nullptr;
  if (resume) resume(!closed_);
}

void HttpSession::EndBodyPause() {
  ++body_pause_generation_;
  if (body_pause_timer_) body_pause_timer_->cancel();
  auto resume = std::move(pause_callback_);
  pause_callback_ = nullptr;
  if (resume) resume(false);
}

// Mostly full already (a recycled piece): no allocation, no zeroing.
void HttpSession::FillPieceBuffer() {
  if (piece_buffer_.capacity() < kBodyPieceBytes) piece_buffer_ = PieceBuffers::Take();
  piece_buffer_.resize(kBodyPieceBytes);
}

// Answered before the worker read the whole body: the rest is read and
// dropped here (the worker reads no more once its call is answered).
void HttpSession::DropDirectBytes() {
  const std::uint64_t left = direct_body_->remaining();
  if (left == 0) return EndStreamedBody(BodyPiece::End::kLast);
  FillPieceBuffer();
  const std::size_t room = static_cast<std::size_t>(std::min<std::uint64_t>(left, piece_buffer_.size()));
  stream_.expires_after(options_.read_timeout);
  stream_.async_read_some(net::buffer(piece_buffer_.data(), room),
                          [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                            self->OnDirectBytesDropped(ec, bytes);
                          });
}

void HttpSession::OnDirectBytesDropped(beast::error_code ec, std::size_t bytes) {
  if (closed_) return;
  if (ec) return EndStreamedBody(BodyPiece::End::kGone);
  direct_body_->Dropped(bytes);
  DropDirectBytes();
}

void HttpSession::StartStreamedBody() {
  stream_request_body_ = false;
  if (StartDirectBody()) return;
  upload_parser_.emplace(std::move(*parser_));  // the same parser, from here on with a buffer body
  parser_.reset();
  Request header(upload_parser_->get().base());
  Dispatch(std::move(header), std::make_shared<SessionRequestBody>(link_));
}

void HttpSession::ReadPiece(std::function<void(BodyPiece&&)> on_piece) {
  if (closed_ || !upload_parser_ || dropping_body_ || piece_callback_) {
    return on_piece(BodyPiece{{}, BodyPiece::End::kGone, 0});
  }
  piece_callback_ = std::move(on_piece);
  ReadBodyBytes();
}

void HttpSession::ReadBodyBytes() {
  FillPieceBuffer();
  auto& body = upload_parser_->get().body();
  body.data = piece_buffer_.data();
  body.size = piece_buffer_.size();
  body_reading_ = true;
  stream_.expires_after(options_.read_timeout);
  http::async_read(stream_, buffer_, *upload_parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBodyBytes(ec); });
}

void HttpSession::OnBodyBytes(beast::error_code ec) {
  body_reading_ = false;
  if (closed_) return;  // Close() told the handler
  if (ec == http::error::need_buffer) ec = {};  // the piece is full
  BodyPiece piece;
  piece_buffer_.resize(piece_buffer_.size() - upload_parser_->get().body().size);
  piece.bytes = std::move(piece_buffer_);
  piece_buffer_ = std::string();
  if (ec == http::error::body_limit) {
    piece.end = BodyPiece::End::kTooLarge;
    piece.limit = body_limit_;
  } else if (ec) {
    piece.end = PeerGone(ec) ? BodyPiece::End::kGone : BodyPiece::End::kMalformed;
  } else {
    piece.end = upload_parser_->is_done() ? BodyPiece::End::kLast : BodyPiece::End::kMore;
  }
  const BodyPiece::End end = piece.end;
  auto on_piece = std::move(piece_callback_);
  piece_callback_ = nullptr;
  if (dropping_body_) {
    if (end == BodyPiece::End::kMore) return ReadBodyBytes();
  } else if (on_piece) {
    on_piece(std::move(piece));
  }
  if (end != BodyPiece::End::kMore) EndStreamedBody(end);
}

void HttpSession::EndStreamedBody(BodyPiece::End end) {
  upload_parser_.reset();
  if (direct_body_) StopDirectBody();
  EndBodyPause();
  direct_body_.reset();
  upload_slot_.reset();
  dropping_body_ = false;
  reading_ = false;
  // After a body that did not end well the stream cannot carry another request.
  if (end != BodyPiece::End::kLast) closing_ = true;
  WriteNext();
  MaybeReadMore();
  if (closing_ && slots_.empty()) Close();
}

void HttpSession::DrainStreamedBody() {
  if (direct_body_ && !dropping_body_) {
    dropping_body_ = true;
    StopDirectBody();  // a wait still pending ends here: the call is answered
    direct_body_->DropBuffered();
    return DropDirectBytes();
  }
  if (!upload_parser_ || dropping_body_) return;
  dropping_body_ = true;
  EndBodyPause();
  // A Read still pending ends here: the call is answered.
  if (auto on_piece = std::move(piece_callback_)) on_piece(BodyPiece{{}, BodyPiece::End::kGone, 0});
  piece_callback_ = nullptr;
  if (!body_reading_) ReadBodyBytes();
}

}  // namespace ticketd::api

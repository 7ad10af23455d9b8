// HttpSession's streamed request bodies (request_body.h, issue 13): an
// upload is dispatched once its header is read, and its body is read from
// the socket one piece at a time, only when the handler asks, into one
// buffer of kBodyPieceBytes, so ten concurrent 25 MiB uploads hold a few MiB
// between them. An answer given before the body is read waits until the
// rest has been read and dropped (the client is still sending; it gets the
// answer on a connection still open). Kept apart from http_session.cc, which
// buffers the bodies of every other route.
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

 private:
  std::shared_ptr<SessionLink> link_;
};

void HttpSession::StartStreamedBody() {
  stream_request_body_ = false;
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
  // Mostly full already (a recycled piece): no allocation, no zeroing.
  if (piece_buffer_.capacity() < kBodyPieceBytes) piece_buffer_ = PieceBuffers::Take();
  piece_buffer_.resize(kBodyPieceBytes);
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
  if (!upload_parser_ || dropping_body_) return;
  dropping_body_ = true;
  // A Read still pending ends here: the call is answered.
  if (auto on_piece = std::move(piece_callback_)) on_piece(BodyPiece{{}, BodyPiece::End::kGone, 0});
  piece_callback_ = nullptr;
  if (!body_reading_) ReadBodyBytes();
}

}  // namespace ticketd::api

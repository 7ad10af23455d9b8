// HttpSession's streamed answers (response_stream.h): the header, then the
// stream's bytes as they come, each write under the session's timeout (a
// reader that stops reading is closed when it passes), while a read stays
// pending so a peer that goes away is noticed at once rather than at the
// next write. Kept apart from http_session.cc, which is about requests.
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>

#include "http_session.h"

namespace ticketd::api {
namespace {

// The kernel's share of a stream's buffering (Linux doubles it): with the
// stream's own bounded buffer it caps what one slow client can hold.
constexpr int kStreamSendBuffer = 16 * 1024;

// One chunk of a chunked body (RFC 9112 7.1), plus the last chunk if `last`.
std::string Chunked(std::string_view bytes, bool last) {
  std::string frame;
  if (!bytes.empty()) {
    char size[20];
    int n = std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
    frame.reserve(bytes.size() + static_cast<std::size_t>(n) + 7);
    frame.append(size, static_cast<std::size_t>(n)).append(bytes).append("\r\n");
  }
  if (last) frame.append("0\r\n\r\n");
  return frame;
}

}  // namespace

void HttpSession::StartStream(Slot& slot) {
  if (slot.head) {  // HEAD: the header of a stream is all there is; no stream
    slot.stream.reset();
    return WriteNext();
  }
  writing_ = true;
  closing_ = true;  // a streamed answer is the connection's last
  stream_body_ = std::move(slot.stream);
  auto head = std::make_shared<Response>(std::move(*slot.response));
  slot.response.reset();
  head->version(slot.version == 10 ? 10 : 11);
  head->set(http::field::server, "ticketd");
  head->keep_alive(false);
  head->body().clear();
  stream_chunked_ = head->version() == 11;
  head->chunked(stream_chunked_);
  auto serializer = std::make_shared<http::response_serializer<http::string_body>>(*head);
  stream_.expires_after(options_.read_timeout);
  http::async_write_header(stream_, *serializer,
                           [self = shared_from_this(), head, serializer](beast::error_code ec, std::size_t) {
                             self->OnStreamHeader(ec);
                           });
}

void HttpSession::OnStreamHeader(beast::error_code ec) {
  if (!WriteEnded(ec, /*slot_done=*/true)) return;
  stream_.expires_never();
  if (draining_) stream_ending_ = true;  // it started during shutdown: it ends at once
  beast::error_code ignored;
  stream_.socket().set_option(net::socket_base::send_buffer_size(kStreamSendBuffer), ignored);
  // A header read still pending (the pipeline read ahead) watches the peer
  // already: OnHeader closes on its end, or on any further request.
  if (!reading_) WatchPeer();
  std::weak_ptr<SessionLink> link = link_;
  stream_body_->Open([link](bool abort) {
    if (auto strong = link.lock()) strong->Post([abort](HttpSession& session) { session.PullStream(abort); });
  });
  PullStream(false);
}

void HttpSession::WatchPeer() {
  stream_.async_read_some(net::buffer(peer_bytes_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (self->closed_) return;
    if (ec) return self->Close();  // gone, reset, or the write timeout passed
    self->WatchPeer();
  });
}

void HttpSession::PullStream(bool abort) {
  if (closed_ || !stream_body_) return;
  if (abort) return Close();
  if (writing_) return;  // OnWrite pulls again
  std::string bytes;
  if (!stream_ending_ && !stream_body_->Pull(&bytes)) stream_ending_ = true;
  if (bytes.empty() && !stream_ending_) return;
  WriteStreamBytes(std::move(bytes), stream_ending_);
}

void HttpSession::WriteStreamBytes(std::string bytes, bool last) {
  writing_ = true;
  auto frame = std::make_shared<std::string>(stream_chunked_ ? Chunked(bytes, last) : std::move(bytes));
  stream_.expires_after(options_.read_timeout);
  net::async_write(stream_, net::buffer(*frame),
                   [self = shared_from_this(), frame, last](beast::error_code ec, std::size_t) {
                     if (!self->WriteEnded(ec, /*slot_done=*/false)) return;
                     if (last) return self->Close();
                     self->stream_.expires_never();
                     self->PullStream(false);
                   });
}

void HttpSession::EndStream() {
  stream_ending_ = true;
  if (!writing_) WriteStreamBytes({}, true);
}

}  // namespace ticketd::api

// SseReader: a test client for GET /api/v1/stream: one raw connection that
// reads the response head, then the server-sent events as they come
// (de-chunking a chunked body). Every read has a deadline; nothing throws.
// It can also stop reading altogether (a stalled client) with a small
// receive buffer, so the server's side fills up quickly.
//
// Thread-safety: none; one reader per thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http_client.h"

namespace ticketd::integration {

// One dispatched block of the stream: its fields as sent (empty if absent).
struct SseEvent {
  std::string id;
  std::string event;
  std::string data;
  std::string retry;
};

class SseReader {
 public:
  SseReader() = default;
  ~SseReader();
  SseReader(const SseReader&) = delete;
  SseReader& operator=(const SseReader&) = delete;

  // Connects to 127.0.0.1:port, sends GET `target` with `headers` and reads
  // the response head (and, unless it is 200, the whole body). A non-zero
  // `receive_buffer` sets SO_RCVBUF before connecting.
  ::testing::AssertionResult Open(std::uint16_t port, std::string_view target, const Headers& headers,
                                  int receive_buffer = 0);
  // Open with "Authorization: Bearer token" (and Last-Event-ID if given).
  ::testing::AssertionResult OpenStream(std::uint16_t port, std::string_view token,
                                        std::optional<std::string> last_event_id = std::nullopt);

  const HttpResponse& head() const { return head_; }

  // The next block with data or an id (comments are counted, not returned);
  // nullopt if none comes before the deadline or the stream ended.
  std::optional<SseEvent> Next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The next block with data: skips id-only blocks.
  std::optional<SseEvent> NextEvent(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads (and drops) until the server closes the connection; true if it
  // did before the deadline. ended_cleanly(): the chunked body's last chunk came.
  bool WaitClosed(std::chrono::milliseconds timeout);
  bool ended_cleanly() const { return last_chunk_; }
  int comments() const { return comments_; }
  std::uint64_t bytes_received() const { return bytes_received_; }
  void Close();

 private:
  // Reads more bytes into raw_ until the deadline; false on timeout or EOF.
  bool Fill(std::chrono::steady_clock::time_point deadline);
  // Moves complete chunks from raw_ to body_.
  void Dechunk();
  std::optional<SseEvent> TakeBlock();

  int fd_ = -1;
  bool eof_ = false;
  bool chunked_ = false;
  bool last_chunk_ = false;
  HttpResponse head_;
  std::string raw_;   // bytes read, not yet de-chunked
  std::string body_;  // event-stream text, not yet parsed
  int comments_ = 0;
  std::uint64_t bytes_received_ = 0;
};

}  // namespace ticketd::integration

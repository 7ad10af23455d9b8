// LiveStream: one GET /api/v1/stream connection's side of the live hub: a
// ResponseStream whose bytes the hub's thread offers and the session's
// strand pulls, through a buffer that never holds more than its bound.
//
// Threads: the ResponseStream methods on the session's strand; Offer,
// OfferPing, End, room(), closed() from the hub's thread; the hub-only
// fields (credential, cursor) only there. One mutex guards the buffer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "live_hub.h"

namespace ticketd::api {

class LiveStream final : public ResponseStream, public std::enable_shared_from_this<LiveStream> {
 public:
  // `first` is queued at once (the stream's start frame); `released` runs
  // when the stream is destroyed (the hub's per-user count).
  LiveStream(StreamCredential credential, std::uint64_t cursor, std::size_t max_bytes, std::string first,
             std::function<void()> released);
  ~LiveStream() override;

  // ResponseStream (session strand)
  void Open(std::function<void(bool abort)> wake) override;
  bool Pull(std::string* out) override;
  void Closed() override;

  // Hub thread. Queues `frame`; past the bound the client is dropped. False
  // if the stream no longer takes bytes (dropped, ended or closed). The
  // session is woken by Flush(), or at once when a quarter of the bound is
  // queued: one write carries all of a fan-out pass's events.
  bool Offer(std::string_view frame);
  // Wakes the session if bytes wait and no wake is on its way.
  void Flush();
  // Queues a heartbeat comment, unless bytes are already waiting.
  void OfferPing();
  // Ends the stream: what is queued is sent, then the connection closes.
  void End();
  // Bytes that may still be queued before the bound.
  std::size_t room() const;
  bool closed() const;

  // Hub thread only.
  StreamCredential credential;
  std::uint64_t cursor;  // every position <= cursor has been considered
  bool touched = false;  // offered to in the current fan-out pass

 private:
  // Calls the session's wake outside the lock (it posts to the strand).
  void Wake(std::unique_lock<std::mutex>& lock, bool abort);

  const std::size_t max_bytes_;
  std::function<void()> released_;
  mutable std::mutex mu_;
  std::string pending_;
  std::function<void(bool)> wake_;
  bool wake_pending_ = false;  // a wake is posted and not yet pulled
  bool ended_ = false;
  bool closed_ = false;
};

}  // namespace ticketd::api

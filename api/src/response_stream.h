// ResponseStream: a long-lived answer (server-sent events). A handler answers
// with a header (Response without body) plus a ResponseStream; the session
// writes the header, then keeps pulling bytes from the stream and writing
// them (chunked on HTTP/1.1, close-delimited on 1.0) until the stream ends,
// the peer goes away, a write times out or the server stops. The connection
// then closes: a streamed answer is always the last one on its connection.
//
// Threads: Open, Pull and Closed run on the session's strand, in that order
// (Closed also without Open when the session closed before the header went
// out; a stream that never reached its session is just destroyed). The
// producer side is the implementation's business; it calls the `wake` given
// to Open from any thread when it has bytes or wants to end.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace ticketd::api {

class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // The header is written. `wake(false)` (thread-safe, cheap, harmless after
  // the connection closed) makes the session call Pull again soon, once the
  // write in flight is done; `wake(true)` closes the connection at once,
  // dropping what is unsent (a client too slow to keep up).
  virtual void Open(std::function<void(bool abort)> wake) = 0;
  // Appends the next bytes to send to *out (nothing: wait for a wake).
  // False: the stream is over; the session sends what *out holds, ends the
  // body and closes.
  virtual bool Pull(std::string* out) = 0;
  // The connection is gone (or never got the header); no more calls follow.
  virtual void Closed() = 0;
};

using ResponseStreamPtr = std::shared_ptr<ResponseStream>;

}  // namespace ticketd::api

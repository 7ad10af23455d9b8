// RequestBody: a request body read as it arrives (upload routes, issue 13),
// instead of being buffered whole before the handler runs. The session
// dispatches such a request once its header is read; the handler then pulls
// the body piece by piece, and the session reads from the socket only when
// asked, so one upload holds one small buffer however large it is.
//
// When the handler answers before it has pulled the whole body (a refusal),
// the session reads and drops the rest, then writes the answer, so the
// client, still sending, always gets it.
//
// Threads: Read may be called from any thread, at most one Read pending at a
// time. `on_piece` runs on the session's strand: keep it short (hand the
// bytes to a worker). It runs once per Read, with kGone when the call was
// answered or the connection closed first (or never, its callback simply
// destroyed, when the session was gone before the Read reached it).
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace ticketd::api {

struct BodyPiece {
  enum class End {
    kMore,       // more follows: Read again
    kLast,       // the body is complete (bytes may hold its last piece)
    kTooLarge,   // over the route's limit: answer 413 PAYLOAD_TOO_LARGE
    kMalformed,  // not valid HTTP (bad chunk encoding): answer 400
    kGone,       // the connection closed or timed out: nobody reads an answer
  };
  std::string bytes;
  End end = End::kMore;
  std::size_t limit = 0;  // kTooLarge: the limit in bytes
};

class RequestBody {
 public:
  virtual ~RequestBody() = default;
  virtual void Read(std::function<void(BodyPiece&&)> on_piece) = 0;
};

using RequestBodyPtr = std::shared_ptr<RequestBody>;

}  // namespace ticketd::api

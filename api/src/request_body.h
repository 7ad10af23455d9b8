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
#include <mutex>
#include <string>
#include <vector>

namespace ticketd::api {

// What one Read returns at most.
inline constexpr std::size_t kBodyPieceBytes = 256 * 1024;

// The buffers of parsed pieces go back here and the session reads the next
// piece into one of them, so a read neither allocates nor zeroes 256 KiB
// (with tcmalloc's aggressive decommit a freed span of that size goes back
// to the kernel and is faulted in again on the next allocation). Holds a
// few at most: ten concurrent uploads keep two or three each in flight.
class PieceBuffers {
 public:
  static std::string Take() {
    Pool& pool = Instance();
    std::lock_guard lock(pool.mu);
    if (pool.free.empty()) return std::string();
    std::string buffer = std::move(pool.free.back());
    pool.free.pop_back();
    return buffer;
  }
  static void Give(std::string&& buffer) {
    if (buffer.capacity() < kBodyPieceBytes || buffer.capacity() > 2 * kBodyPieceBytes) return;
    Pool& pool = Instance();
    std::lock_guard lock(pool.mu);
    if (pool.free.size() < kKept) pool.free.push_back(std::move(buffer));
  }

 private:
  static constexpr std::size_t kKept = 32;
  struct Pool {
    std::mutex mu;
    std::vector<std::string> free;
  };
  static Pool& Instance() {
    static Pool pool;
    return pool;
  }
};

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

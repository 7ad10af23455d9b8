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

#include <chrono>
#include <cstdint>
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

// A body of known length (Content-Length, not chunked) that the handler's
// worker reads from the connection itself (http_session_body.cc): first the
// bytes the session had read past the header, then straight from the socket
// into the caller's buffer. No HTTP thread copies the bytes, and the copy out
// of the kernel runs on the worker, at its (lower) priority. ReadSome never
// blocks: on kWait the caller asks WhenReadable and returns its thread to its
// pool, so a slow client holds a connection, never a worker; the session
// bounds each wait by its read timeout.
//
// Threads: ReadSome on one thread at a time, and only until the request is
// answered (the session then reads and drops whatever is left itself).
class SocketBody {
 public:
  enum class Got {
    kBytes,  // *got bytes were read (the body may now be complete: remaining())
    kWait,   // nothing to read yet: WhenReadable
    kGone,   // the peer closed before the body ended, or the connection closed
  };
  virtual ~SocketBody() = default;
  // Reads up to `room` bytes of the body (never past its end) into `out`.
  virtual Got ReadSome(char* out, std::size_t room, std::size_t* got) = 0;
  // Body bytes not read yet.
  virtual std::uint64_t remaining() const = 0;
  // `ready(true)` once the socket has bytes to read, `ready(false)` when the
  // read timeout passed first or the connection closed. Runs on the
  // session's strand (or never, when the session was gone already).
  virtual void WhenReadable(std::function<void(bool readable)> ready) = 0;
};

class RequestBody {
 public:
  virtual ~RequestBody() = default;
  virtual void Read(std::function<void(BodyPiece&&)> on_piece) = 0;
  // Holds the reading for `delay` (bulk_read_pacer.h): `resume(true)` on the
  // session's strand once it passed, `resume(false)` when the call was
  // answered or the connection closed first (or never, the callback simply
  // destroyed, when the session was gone). The socket is not read meanwhile
  // and the read timeout does not run: the pause is the server's, not the
  // client's. At most one pause pending, and no Read or wait beside it.
  virtual void Pause(std::chrono::steady_clock::duration delay, std::function<void(bool alive)> resume) = 0;
  // The same body for a caller that reads it itself; null when the session
  // must decode it (a chunked body), which Read then does.
  virtual SocketBody* Direct() { return nullptr; }
};

using RequestBodyPtr = std::shared_ptr<RequestBody>;

}  // namespace ticketd::api

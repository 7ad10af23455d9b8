// LiveHub: the server side of GET /api/v1/stream (server-sent events).
//
// One fan-out thread tails the event log. The engine's commit listener only
// records the newest position whose read models are up to date and wakes
// the thread (an atomic flag, at most one condition-variable signal per
// wake-up): nothing of the fan-out runs on the writer thread. The thread
// reads new records once (ReadAllRaw, decoded WITHOUT the text keys: the
// stream never even opens personal text), turns ticket events into live
// events, and offers each to the streams of its tenant whose user may read
// it (live_event.h: the ticket read handlers' own rules).
//
// Each stream (LiveStream, a ResponseStream) has a bounded byte buffer. An
// offer that would pass the bound drops the client (its connection closes)
// instead of growing memory; the client reconnects with Last-Event-ID and
// replays what it missed from the log. A stream that resumes from an older
// position replays from the log first, in bounded steps that wait for the
// client to drain, and joins the live fan-out exactly where the replay ends:
// no gap, no duplicate. Every position a stream sees is compared with its
// own cursor, so positions are never sent twice.
//
// Heartbeats: every `heartbeat` a ": ping" comment (when nothing else is
// queued), and the credential is checked again (revoked session, logout,
// deactivated or erased user, changed permissions take effect then). A JWT
// stream ends when its token expires (checked every second).
//
// Threads: Subscribe() from any thread; Stop() from the owner. The hub must
// outlive every stream it handed out (declare it before the HTTP server).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "response_stream.h"
#include "ticketd/domain/id.h"
#include "ticketd/domain/types.h"

namespace ticketd::app {
class Engine;
class Metrics;
}  // namespace ticketd::app

namespace ticketd::api {

struct LiveHubOptions {
  std::size_t max_buffer_bytes = 64 * 1024;  // per stream; passing it drops the client
  std::chrono::milliseconds heartbeat{15000};
  int max_streams_per_user = 8;
  std::size_t max_streams = 10000;
  int retry_ms = 2000;  // the client's reconnection delay (SSE "retry:")
};

// Who a stream acts for, checked again at every heartbeat.
struct StreamCredential {
  domain::Actor actor;
  std::optional<domain::Id> session_id;       // a JWT's session; else a tkd_ token:
  std::array<std::uint8_t, 32> token_sha256{};  // its hash
  std::optional<std::int64_t> expires_at_seconds;  // a JWT's exp
};

class LiveHub {
 public:
  // Registers the commit listener and starts the fan-out thread.
  LiveHub(app::Engine& engine, app::Metrics* metrics, const LiveHubOptions& options);
  ~LiveHub();  // Stop()s
  LiveHub(const LiveHub&) = delete;
  LiveHub& operator=(const LiveHub&) = delete;

  enum class Refusal { kTooManyForUser, kTooMany, kStopping };
  // A new stream for `credential`'s user, starting after `resume` (a log
  // position: replayed from the log first) or, without one, after the
  // newest event now. On refusal returns null and sets *refusal.
  ResponseStreamPtr Subscribe(const StreamCredential& credential, std::optional<std::uint64_t> resume,
                              Refusal* refusal);

  // Ends every stream (each sends what it holds and closes), refuses new
  // ones, removes the commit listener and joins the thread. Idempotent.
  void Stop();

  const LiveHubOptions& options() const { return options_; }

 private:
  struct Impl;
  const LiveHubOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::api

// OutboxRelay: publishes the event log to Kafka (the transactional-outbox
// pattern: the log is the outbox, so a committed event can never be lost
// between the database and the broker).
//
// One thread tails the log from a persisted cursor with ReadAllRaw and
// produces every record with librdkafka (enable.idempotence=true, acks=all,
// no message timeout: librdkafka retries until the brokers come back):
//   key     = the envelope's stream id (the ticket id; for directory events,
//             whose stream is the tenant, the tenant id)
//   value   = the stored EventEnvelope bytes exactly as they are in the log
//   headers = event_id, position, tenant_id, schema_version (decimal text)
// The cursor (the newest position P such that every position <= P has a
// successful delivery report) is written with EventLog::PutMeta at most
// every `cursor_persist_interval` and at Stop(). After a crash the relay
// resumes after the stored cursor: events between it and the crash are
// published again (at-least-once; consumers drop repeats by event_id). Same
// key -> same partition, and an idempotent producer never reorders a
// partition, so each ticket's events arrive in commit order.
//
// librdkafka stays PRIVATE: nothing of it appears in this header.
//
// Threading: Start/Stop from one owner thread; Notify() and Stats() from any
// thread at any time (Notify is a relaxed flag plus, at most once per wake-up,
// a condition-variable signal: cheap enough for the engine's writer).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ticketd/base/status.h"
#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {

using KafkaProperties = std::vector<std::pair<std::string, std::string>>;

struct OutboxRelayOptions {
  std::string brokers;                 // bootstrap.servers, "host:port,..."
  std::string topic = "ticket-events";
  KafkaProperties properties;          // extra librdkafka settings (SASL, TLS, ...)
  // The meta key the cursor lives under; empty keeps it in memory only, so
  // every Start() publishes from position 1 (right for a broker that is as
  // ephemeral as the process, like the embedded cluster).
  std::string cursor_key;
  std::chrono::milliseconds idle_wakeup{50};               // timer when no Notify() comes
  std::chrono::milliseconds cursor_persist_interval{200};  // bounds the synced meta writes
  std::size_t max_in_flight = 100000;                      // produced, not yet reported
  // Lines for the operator ("brokers unreachable", ...); default: stderr.
  std::function<void(std::string_view)> log;
  // Test and benchmark hook: called on the relay thread for every
  // successful delivery report.
  std::function<void(std::uint64_t position)> on_delivered;
};

struct OutboxRelayStats {
  std::uint64_t head_position = 0;       // newest committed position
  std::uint64_t published_position = 0;  // the cursor: all <= it delivered
  std::uint64_t lag_events = 0;          // head - cursor
  double lag_seconds = 0;                // age of the oldest undelivered event (0 if none)
  std::uint64_t published_total = 0;     // successful delivery reports since Start
  std::uint64_t errors_total = 0;        // failed reports and client errors since Start
  bool broker_up = false;                // a broker answered recently
};

class OutboxRelay {
 public:
  // Creates the producer and starts the thread. Fails (InvalidArgument) only
  // on a bad option or property; unreachable brokers are not an error: the
  // relay starts, says so through `log`, and publishes once they answer.
  // `log` must outlive the relay.
  static Status Start(const OutboxRelayOptions& options, EventLog* log, std::unique_ptr<OutboxRelay>* relay);

  virtual ~OutboxRelay() = default;
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // New events were committed: wake the relay now rather than at its timer.
  virtual void Notify() = 0;
  virtual OutboxRelayStats Stats() const = 0;
  // Waits up to `drain` for outstanding deliveries, persists the cursor and
  // joins the thread. Undelivered events stay after the cursor and go out on
  // the next start. Idempotent; the destructor calls it with no drain time.
  virtual void Stop(std::chrono::milliseconds drain) = 0;

 protected:
  OutboxRelay() = default;
};

// Parses librdkafka properties, one `key=value` a line; blank lines and lines
// starting with '#' are skipped. InvalidArgument naming the line otherwise.
Status ParseKafkaProperties(std::string_view text, KafkaProperties* out);
// Reads and parses a properties file (IOError if it cannot be read).
Status LoadKafkaProperties(const std::string& path, KafkaProperties* out);

}  // namespace ticketd::eventstore

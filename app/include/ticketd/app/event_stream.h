// EventStream: ticketd's `--kafka` modes wired together: the embedded
// cluster (embedded), the outbox relay, the engine's commit notification and
// the /metrics source. `off` builds nothing.
//
// The relay cursor: with real brokers it is stored in the data dir under
// "kafka_relay_cursor/<topic>", so a restart resumes where the last run's
// deliveries ended. The embedded cluster lives in memory and starts empty
// with every process, so its cursor is not stored: each start publishes the
// whole log again from position 1, and a consumer of the new cluster sees
// every event.
//
// Threading: Start and Stop from the main thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include <string>

#include "ticketd/base/status.h"
#include "ticketd/eventstore/embedded_kafka.h"
#include "ticketd/eventstore/outbox_relay.h"

namespace ticketd::app {

class Engine;
class Metrics;

// The `--kafka`, `--kafka-topic` and `--kafka-config` options.
struct EventStreamOptions {
  std::string kafka = "off";  // off | embedded | HOST:PORT,...
  std::string kafka_topic = "ticket-events";
  std::string kafka_config;   // librdkafka properties file (real brokers only)
};

class EventStream {
 public:
  // InvalidArgument for a bad --kafka-config (unreadable file, unknown
  // property); Unavailable if the embedded cluster cannot start. Unreachable
  // brokers are not an error (the relay logs them and /metrics shows it).
  static Status Start(const EventStreamOptions& options, Engine& engine, Metrics& metrics,
                      std::unique_ptr<EventStream>* stream);
  ~EventStream();  // Stop()s without draining
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // After the engine stopped: publishes what is outstanding for up to
  // `drain`, stores the cursor, then shuts the cluster down. Idempotent.
  void Stop(std::chrono::milliseconds drain);

 private:
  EventStream() = default;
  Engine* engine_ = nullptr;
  Metrics* metrics_ = nullptr;
  std::unique_ptr<eventstore::EmbeddedKafka> cluster_;
  std::unique_ptr<eventstore::OutboxRelay> relay_;
  std::uint64_t commit_listener_ = 0;
};

}  // namespace ticketd::app

// Metrics: Prometheus counters and histograms. Lock-free on the hot path
// (relaxed atomics; a route's series are created once at start-up).
// Render() produces the text exposition format 0.0.4.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ticketd/eventstore/outbox_relay.h"

namespace ticketd::app {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One request answered: route is the matched pattern ("/api/v1/tickets/{id}")
  // or "unmatched"; status the HTTP status; seconds the server time.
  void ObserveRequest(std::string_view method, std::string_view route, int status, double seconds);
  // One group commit: how many commands and events went into one synced
  // WriteBatch and how long the write+fsync took.
  void ObserveBatch(std::size_t commands, std::size_t events, double fsync_seconds);
  // Arbitrary gauges set by other components ("ticketd_log_head_position").
  void SetGauge(std::string_view name, std::string_view help, double value);
  // One series of a labelled counter family: name{labels} value (labels as
  // rendered, e.g. target="resolution"); the caller keeps the running total.
  void SetCounter(std::string_view name, std::string_view help, std::string labels, double value);

  // The event stream's publish lag and health, read at each Render() (the
  // ticketd_kafka_* series appear only once a source is set). Set it before
  // serving; `source` must stay callable until the Metrics die or it is reset.
  void SetEventStreamSource(std::function<eventstore::OutboxRelayStats()> source);

  // Extra exposition text rendered at each Render() (the mailer's series);
  // the handle removes it. `render` must stay callable until then.
  std::uint64_t AddTextSource(std::function<std::string()> render);
  void RemoveTextSource(std::uint64_t handle);

  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::app

// EmbeddedKafka: librdkafka's mock cluster, a Kafka-protocol cluster that
// lives inside this process and listens on loopback (one random port per
// broker). `ticketd --kafka embedded` runs one so that any Kafka client (kcat,
// a consumer group) can read the event stream without a real cluster; the
// relay tests and the publish-lag benchmark use it too.
//
// It keeps messages in memory only: a new cluster starts empty.
//
// Threading: all methods from any thread (librdkafka serializes them on the
// cluster's own thread).
#pragma once

#include <memory>
#include <string>

#include "ticketd/base/status.h"

namespace ticketd::eventstore {

struct EmbeddedKafkaOptions {
  int brokers = 3;
  std::string topic = "ticket-events";  // created up front with these partitions
  int partitions = 3;
};

class EmbeddedKafka {
 public:
  // Unavailable if librdkafka cannot create the cluster (no loopback?).
  static Status Start(const EmbeddedKafkaOptions& options, std::unique_ptr<EmbeddedKafka>* cluster);
  ~EmbeddedKafka();
  EmbeddedKafka(const EmbeddedKafka&) = delete;
  EmbeddedKafka& operator=(const EmbeddedKafka&) = delete;

  // "127.0.0.1:PORT,127.0.0.1:PORT,..." for bootstrap.servers.
  const std::string& bootstrap() const { return bootstrap_; }

  // Outage simulation: every broker drops its connections and refuses new
  // ones (down) or accepts them again (up). Messages already stored stay.
  Status SetAllBrokersDown(bool down);

 private:
  struct Handles;
  explicit EmbeddedKafka(std::unique_ptr<Handles> handles, std::string bootstrap);
  std::unique_ptr<Handles> handles_;
  std::string bootstrap_;
};

}  // namespace ticketd::eventstore

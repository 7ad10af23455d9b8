// KafkaProducer: the relay's librdkafka producer (idempotent, acks=all, no
// message timeout) and the envelope facts that become key and headers.
//
// Threading: everything on the relay thread except Wake(), which any thread
// may call while the producer exists. Callbacks of the listener run inside
// Poll(), Flush() and PurgeAll(), on the calling (relay) thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ticketd/eventstore/outbox_relay.h"

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_topic_s rd_kafka_topic_t;
typedef struct rd_kafka_queue_s rd_kafka_queue_t;

namespace ticketd::eventstore {

// What the relay needs from an envelope besides its bytes.
struct EnvelopeFacts {
  std::string event_id, tenant_id, stream_id;  // UUID text
  std::uint32_t schema_version = 1;
  std::int64_t occurred_at_us = 0;
  // The message value when the stored bytes are not already the public
  // version 1 envelope (a version 2 record, converted); empty otherwise.
  std::string public_envelope;
};

// false if `envelope` is not a parseable EventEnvelope with valid ids.
bool ReadEnvelopeFacts(std::string_view envelope, EnvelopeFacts* facts);

class ProducerListener {
 public:
  virtual void OnProduced() = 0;
  // `error` is null for a successful delivery.
  virtual void OnDelivered(std::uint64_t position, const char* error) = 0;
  virtual void OnClientError(bool all_brokers_down, const std::string& reason) = 0;

 protected:
  ~ProducerListener() = default;
};

enum class ProduceResult { kQueued, kQueueFull, kFailed };

class KafkaProducer {
 public:
  // InvalidArgument naming the property librdkafka refused.
  static Status Create(const OutboxRelayOptions& options, ProducerListener* listener,
                       std::unique_ptr<KafkaProducer>* producer);
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // Queues one record: key = stream id, value = envelope, headers. The
  // delivery report carries `record.position`.
  ProduceResult Produce(const RawRecord& record, const EnvelopeFacts& facts);
  // Serves delivery reports and errors; waits up to `timeout` for the first.
  void Poll(std::chrono::milliseconds timeout);
  // Makes a Poll() in progress (or the next one) return at once. Any thread.
  void Wake();
  // Does a broker answer a metadata request within `timeout`?
  bool Reachable(std::chrono::milliseconds timeout);
  // Waits up to `timeout` for every queued message's report.
  void Flush(std::chrono::milliseconds timeout);
  // Fails everything queued or in flight (reports with a purge error).
  void PurgeAll();

  bool fatal() const { return fatal_; }
  std::string FatalReason();

 private:
  friend struct ProducerCallbacks;  // librdkafka's C callbacks (kafka_producer.cc)
  KafkaProducer() = default;

  ProducerListener* listener_ = nullptr;
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_topic_t* topic_ = nullptr;
  rd_kafka_queue_t* main_queue_ = nullptr;
  bool fatal_ = false;
};

}  // namespace ticketd::eventstore

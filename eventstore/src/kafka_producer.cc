#include "kafka_producer.h"

#include <librdkafka/rdkafka.h>

#include <sys/types.h>

#include <cstdint>
#include <cstdio>

#include "envelope_ids.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

bool ReadEnvelopeFacts(std::string_view envelope, EnvelopeFacts* facts) {
  v1::EventEnvelope parsed;
  if (!parsed.ParseFromArray(envelope.data(), static_cast<int>(envelope.size()))) return false;
  // The stream's format never changed: a version 2 record (raw ids) goes out
  // as the version 1 envelope its event would have had.
  const bool convert = IsVersion2(parsed);
  if (!ToVersion1Ids(&parsed).ok()) return false;
  facts->public_envelope = convert ? parsed.SerializeAsString() : std::string();
  facts->event_id = parsed.event_id();
  facts->tenant_id = parsed.tenant_id();
  facts->stream_id = parsed.stream_id();
  facts->schema_version = parsed.schema_version() == 0 ? 1 : parsed.schema_version();
  facts->occurred_at_us = parsed.occurred_at_us();
  return true;
}

struct ProducerCallbacks {
  static void DeliveryReport(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto* self = static_cast<KafkaProducer*>(opaque);
    const auto position = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(message->_private));
    self->listener_->OnDelivered(position, message->err ? rd_kafka_err2str(message->err) : nullptr);
  }

  static void Error(rd_kafka_t*, int error, const char* reason, void* opaque) {
    auto* self = static_cast<KafkaProducer*>(opaque);
    if (error == RD_KAFKA_RESP_ERR__FATAL) self->fatal_ = true;
    self->listener_->OnClientError(error == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, reason ? reason : "");
  }

  // librdkafka logs every failed reconnect; the error callback already turns
  // those into one line per outage, so only critical logs get through.
  static void Log(const rd_kafka_t*, int level, const char* facility, const char* text) {
    if (level <= 2) std::fprintf(stderr, "ticketd: kafka: librdkafka %s: %s\n", facility, text);
  }
};

namespace {

Status Set(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
    return Status::InvalidArgument("kafka property " + key + ": " + errstr);
  return Status::Ok();
}

}  // namespace

Status KafkaProducer::Create(const OutboxRelayOptions& options, ProducerListener* listener,
                             std::unique_ptr<KafkaProducer>* producer) {
  std::unique_ptr<KafkaProducer> self(new KafkaProducer());
  self->listener_ = listener;
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // Defaults an operator may override: small batches for low lag, and quick
  // reconnects so a backlog starts moving soon after the brokers return.
  KafkaProperties settings = {{"linger.ms", "5"}, {"reconnect.backoff.max.ms", "1000"}};
  settings.insert(settings.end(), options.properties.begin(), options.properties.end());
  // What the guarantees rest on, so they win over the operator's file:
  // no duplicates from retries, every in-sync replica has it, and retry
  // forever rather than fail a message (a timed-out message would leave a
  // hole that later messages of the partition jump over).
  settings.insert(settings.end(), {{"bootstrap.servers", options.brokers},
                                   {"enable.idempotence", "true"},
                                   {"acks", "all"},
                                   {"message.timeout.ms", "0"}});
  for (const auto& [key, value] : settings) {
    if (Status s = Set(conf, key, value); !s.ok()) {
      rd_kafka_conf_destroy(conf);
      return s;
    }
  }
  rd_kafka_conf_set_opaque(conf, self.get());
  rd_kafka_conf_set_dr_msg_cb(conf, &ProducerCallbacks::DeliveryReport);
  rd_kafka_conf_set_error_cb(conf, &ProducerCallbacks::Error);
  rd_kafka_conf_set_log_cb(conf, &ProducerCallbacks::Log);
  char errstr[512];
  self->rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!self->rk_) {
    rd_kafka_conf_destroy(conf);
    return Status::InvalidArgument(std::string("kafka producer: ") + errstr);
  }
  self->topic_ = rd_kafka_topic_new(self->rk_, options.topic.c_str(), nullptr);
  if (!self->topic_) return Status::InvalidArgument("kafka topic " + options.topic + " is not usable");
  self->main_queue_ = rd_kafka_queue_get_main(self->rk_);
  *producer = std::move(self);
  return Status::Ok();
}

KafkaProducer::~KafkaProducer() {
  if (main_queue_) rd_kafka_queue_destroy(main_queue_);
  if (topic_) rd_kafka_topic_destroy(topic_);
  if (rk_) rd_kafka_destroy(rk_);
}

ProduceResult KafkaProducer::Produce(const RawRecord& record, const EnvelopeFacts& facts) {
  const std::string_view value = facts.public_envelope.empty() ? record.envelope : facts.public_envelope;
  rd_kafka_headers_t* headers = rd_kafka_headers_new(4);
  const std::string position = std::to_string(record.position);
  const std::string schema_version = std::to_string(facts.schema_version);
  rd_kafka_header_add(headers, "event_id", -1, facts.event_id.data(), static_cast<ssize_t>(facts.event_id.size()));
  rd_kafka_header_add(headers, "position", -1, position.data(), static_cast<ssize_t>(position.size()));
  rd_kafka_header_add(headers, "tenant_id", -1, facts.tenant_id.data(),
                      static_cast<ssize_t>(facts.tenant_id.size()));
  rd_kafka_header_add(headers, "schema_version", -1, schema_version.data(),
                      static_cast<ssize_t>(schema_version.size()));
  rd_kafka_resp_err_t err = rd_kafka_producev(
      rk_, RD_KAFKA_V_RKT(topic_), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_KEY(facts.stream_id.data(), facts.stream_id.size()),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_HEADERS(headers),
      RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::uintptr_t>(record.position))), RD_KAFKA_V_END);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {  // the message owns the headers now
    listener_->OnProduced();
    return ProduceResult::kQueued;
  }
  rd_kafka_headers_destroy(headers);
  return err == RD_KAFKA_RESP_ERR__QUEUE_FULL ? ProduceResult::kQueueFull : ProduceResult::kFailed;
}

void KafkaProducer::Poll(std::chrono::milliseconds timeout) {
  rd_kafka_queue_poll_callback(main_queue_, static_cast<int>(timeout.count()));
}

void KafkaProducer::Wake() { rd_kafka_queue_yield(main_queue_); }

bool KafkaProducer::Reachable(std::chrono::milliseconds timeout) {
  const struct rd_kafka_metadata* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 0, topic_, &metadata, static_cast<int>(timeout.count()));
  if (metadata) rd_kafka_metadata_destroy(metadata);
  return err == RD_KAFKA_RESP_ERR_NO_ERROR;
}

void KafkaProducer::Flush(std::chrono::milliseconds timeout) {
  rd_kafka_flush(rk_, static_cast<int>(timeout.count()));
}

void KafkaProducer::PurgeAll() {
  rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  // Purged messages report through the queue; serve them now so the
  // listener learns which positions did not go out.
  rd_kafka_flush(rk_, 0);
  Poll(std::chrono::milliseconds(0));
}

std::string KafkaProducer::FatalReason() {
  char reason[512] = "";
  rd_kafka_fatal_error(rk_, reason, sizeof reason);
  return reason;
}

}  // namespace ticketd::eventstore

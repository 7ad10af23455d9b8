#include "ticketd/app/event_stream.h"

#include <cstdio>

#include "ticketd/app/engine.h"
#include "ticketd/app/metrics.h"

namespace ticketd::app {

Status EventStream::Start(const EventStreamOptions& options, Engine& engine, Metrics& metrics,
                          std::unique_ptr<EventStream>* stream) {
  stream->reset();
  if (options.kafka == "off") return Status::Ok();
  std::unique_ptr<EventStream> self(new EventStream());
  eventstore::OutboxRelayOptions relay_options;
  relay_options.topic = options.kafka_topic;
  if (options.kafka == "embedded") {
    eventstore::EmbeddedKafkaOptions cluster_options;
    cluster_options.topic = options.kafka_topic;
    Status s = eventstore::EmbeddedKafka::Start(cluster_options, &self->cluster_);
    if (!s.ok()) return s;
    relay_options.brokers = self->cluster_->bootstrap();
    // One line, and the only one with this word: scripts and tests grep it.
    std::fprintf(stderr, "ticketd: kafka: embedded cluster (%d brokers, topic %s) bootstrap %s\n",
                 cluster_options.brokers, options.kafka_topic.c_str(), relay_options.brokers.c_str());
  } else {
    relay_options.brokers = options.kafka;
    relay_options.cursor_key = "kafka_relay_cursor/" + options.kafka_topic;
    if (!options.kafka_config.empty()) {
      Status s = eventstore::LoadKafkaProperties(options.kafka_config, &relay_options.properties);
      if (!s.ok()) return Status::InvalidArgument("--kafka-config: " + s.message());
    }
  }
  Status s = eventstore::OutboxRelay::Start(relay_options, &engine.log(), &self->relay_);
  if (!s.ok()) return s;
  eventstore::OutboxRelay* relay = self->relay_.get();
  self->commit_listener_ = engine.AddCommitListener([relay] { relay->Notify(); });
  metrics.SetEventStreamSource([relay] { return relay->Stats(); });
  self->engine_ = &engine;
  self->metrics_ = &metrics;
  *stream = std::move(self);
  return Status::Ok();
}

EventStream::~EventStream() { Stop(std::chrono::milliseconds(0)); }

void EventStream::Stop(std::chrono::milliseconds drain) {
  if (!relay_) return;
  engine_->RemoveCommitListener(commit_listener_);
  metrics_->SetEventStreamSource(nullptr);
  relay_->Stop(drain);
  relay_.reset();
  cluster_.reset();
}

}  // namespace ticketd::app

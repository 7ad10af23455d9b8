#include "ticketd/eventstore/embedded_kafka.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace ticketd::eventstore {

// The mock cluster needs a client handle for its bookkeeping; this one never
// produces. Destroy order matters: the cluster before its handle.
struct EmbeddedKafka::Handles {
  rd_kafka_t* owner = nullptr;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  ~Handles() {
    if (cluster) rd_kafka_mock_cluster_destroy(cluster);
    if (owner) rd_kafka_destroy(owner);
  }
};

EmbeddedKafka::EmbeddedKafka(std::unique_ptr<Handles> handles, std::string bootstrap)
    : handles_(std::move(handles)), bootstrap_(std::move(bootstrap)) {}

EmbeddedKafka::~EmbeddedKafka() = default;

Status EmbeddedKafka::Start(const EmbeddedKafkaOptions& options, std::unique_ptr<EmbeddedKafka>* cluster) {
  if (options.brokers < 1 || options.partitions < 1 || options.topic.empty())
    return Status::InvalidArgument("embedded kafka needs >= 1 broker, >= 1 partition and a topic");
  auto handles = std::make_unique<Handles>();
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The owner handle has no brokers to talk to; keep it from logging that.
  rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr);
  handles->owner = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!handles->owner) {
    rd_kafka_conf_destroy(conf);
    return Status::Unavailable(std::string("embedded kafka: ") + errstr);
  }
  handles->cluster = rd_kafka_mock_cluster_new(handles->owner, options.brokers);
  if (!handles->cluster) return Status::Unavailable("embedded kafka: cannot create the mock cluster");
  const int replication = options.brokers < 3 ? options.brokers : 3;
  rd_kafka_resp_err_t err =
      rd_kafka_mock_topic_create(handles->cluster, options.topic.c_str(), options.partitions, replication);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return Status::Unavailable(std::string("embedded kafka: creating the topic: ") + rd_kafka_err2str(err));
  std::string bootstrap = rd_kafka_mock_cluster_bootstraps(handles->cluster);
  cluster->reset(new EmbeddedKafka(std::move(handles), std::move(bootstrap)));
  return Status::Ok();
}

Status EmbeddedKafka::SetAllBrokersDown(bool down) {
  rd_kafka_resp_err_t err = down ? rd_kafka_mock_broker_set_down(handles_->cluster, -1)
                                 : rd_kafka_mock_broker_set_up(handles_->cluster, -1);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Unavailable(rd_kafka_err2str(err));
  return Status::Ok();
}

}  // namespace ticketd::eventstore

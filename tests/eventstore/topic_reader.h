// TopicReader: reads a whole topic from the beginning with librdkafka's
// low-level consumer, for the relay tests and the publish-lag benchmark.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ticketd::eventstore::testing {

struct ReadMessage {
  int partition = 0;
  std::int64_t offset = 0;
  std::string key, value;
  std::map<std::string, std::string> headers;
};

// Reads every message of `topic` on `brokers` until `count` arrived or
// `deadline` passed; returns what it got. Empty on a client error.
inline std::vector<ReadMessage> ReadTopic(const std::string& brokers, const std::string& topic, std::size_t count,
                                          std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
  std::vector<ReadMessage> out;
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "group.id", "ticketd-test-reader", errstr, sizeof errstr);
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", errstr, sizeof errstr);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
  if (!rk) return out;
  rd_kafka_poll_set_consumer(rk);
  const struct rd_kafka_metadata* metadata = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  int partitions = 0;
  if (rd_kafka_metadata(rk, 0, rkt, &metadata, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR && metadata->topic_cnt == 1)
    partitions = metadata->topics[0].partition_cnt;
  if (metadata) rd_kafka_metadata_destroy(metadata);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(assignment, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(rk, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (partitions > 0 && out.size() < count && std::chrono::steady_clock::now() < until) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk, 100);
    if (!message) continue;
    if (!message->err) {
      ReadMessage read;
      read.partition = message->partition;
      read.offset = message->offset;
      read.key.assign(static_cast<const char*>(message->key), message->key_len);
      read.value.assign(static_cast<const char*>(message->payload), message->len);
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name;
        const void* value;
        size_t size;
        for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i)
          read.headers[name] = std::string(static_cast<const char*>(value), size);
      }
      out.push_back(std::move(read));
    }
    rd_kafka_message_destroy(message);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return out;
}

// Messages stored in `topic` (sum of the partitions' high watermarks), or -1.
inline std::int64_t TopicMessageCount(const std::string& brokers, const std::string& topic, int partitions) {
  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), errstr, sizeof errstr);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) return -1;
  std::int64_t total = 0;
  for (int p = 0; p < partitions && total >= 0; ++p) {
    int64_t low = 0, high = 0;
    if (rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &low, &high, 5000) != RD_KAFKA_RESP_ERR_NO_ERROR)
      total = -1;
    else
      total += high - low;
  }
  rd_kafka_destroy(rk);
  return total;
}

}  // namespace ticketd::eventstore::testing

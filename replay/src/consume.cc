#include "consume.h"

#include <librdkafka/rdkafka.h>
#include <signal.h>

#include <atomic>
#include <climits>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/cli/command_line.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/eventstore/outbox_relay.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::replay {
namespace {

std::atomic<bool> g_interrupted{false};
void OnSignal(int) { g_interrupted.store(true); }

// One message as a JSON line; the envelope decoded with the same mapping as
// `ticket-replay export`, or "event": null plus "error" if it is not one.
std::string MessageJson(const rd_kafka_message_t& message) {
  projections::JsonWriter json;
  json.BeginObject();
  json.Key("topic").String(rd_kafka_topic_name(message.rkt));
  json.Key("partition").Int(message.partition);
  json.Key("offset").Int(message.offset);
  json.Key("key");
  if (message.key) {
    json.String(std::string_view(static_cast<const char*>(message.key), message.key_len));
  } else {
    json.Null();
  }
  json.Key("headers").BeginObject();
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* name;
    const void* value;
    size_t size;
    for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
      json.Key(name).String(std::string_view(static_cast<const char*>(value), size));
  }
  json.EndObject();
  std::string event;
  Status s = eventstore::EnvelopeToJson(
      std::string_view(static_cast<const char*>(message.payload), message.payload ? message.len : 0), &event);
  json.Key("event");
  if (s.ok()) {
    json.Raw(event);
  } else {
    json.Null().Key("error").String(s.ToString());
  }
  json.EndObject();
  return json.str();
}

rd_kafka_t* NewConsumer(const ConsumeOptions& args, std::ostream& err) {
  eventstore::KafkaProperties properties;
  if (!args.config_file.empty()) {
    if (Status s = eventstore::LoadKafkaProperties(args.config_file, &properties); !s.ok()) {
      err << "ticket-replay: --kafka-config: " << s.ToString() << "\n";
      return nullptr;
    }
  }
  properties.insert(properties.end(), {{"bootstrap.servers", args.brokers},
                                       {"group.id", args.group},
                                       {"auto.offset.reset", args.from_beginning ? "earliest" : "latest"}});
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char errstr[512];
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      err << "ticket-replay: kafka property " << key << ": " << errstr << "\n";
      rd_kafka_conf_destroy(conf);
      return nullptr;
    }
  }
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
  if (!rk) {
    err << "ticket-replay: " << errstr << "\n";
    rd_kafka_conf_destroy(conf);
    return nullptr;
  }
  rd_kafka_poll_set_consumer(rk);
  return rk;
}

}  // namespace

CLI::App* AddConsumeCommand(CLI::App& app, ConsumeOptions* o) {
  CLI::App* consume = app.add_subcommand(
      "consume", "prints the Kafka event stream as JSON lines: partition, offset, key, headers, the event");
  consume->add_option("--brokers", o->brokers, "HOST:PORT,... bootstrap brokers")->required()->transform(cli::NonEmpty());
  consume->add_option("--topic", o->topic, "the topic")->capture_default_str()->transform(cli::NonEmpty());
  consume->add_option("--group", o->group, "consumer group; offsets are committed as it reads")
      ->capture_default_str()
      ->transform(cli::NonEmpty());
  consume->add_flag("--from-beginning", o->from_beginning,
                    "a group without committed offsets starts at the oldest message (else: new ones)");
  consume->add_option_function<std::uint64_t>("--max", [o](std::uint64_t max) { o->max = max; },
                                              "stop after N messages")
      ->transform(cli::DecimalIn(1, UINT64_MAX));
  consume->add_option_function<int>("--timeout-ms", [o](int ms) { o->timeout_ms = ms; },
                                    "stop when no message came for MS milliseconds")
      ->transform(cli::DecimalIn(1, INT_MAX));
  consume->add_option("--kafka-config", o->config_file, "librdkafka properties, key=value lines (SASL, TLS)");
  return consume;
}

int RunConsume(const ConsumeOptions& options, std::ostream& out, std::ostream& err) {
  const ConsumeOptions* args = &options;
  rd_kafka_t* rk = NewConsumer(*args, err);
  if (!rk) return 2;
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, args->topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t subscribed = rd_kafka_subscribe(rk, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (subscribed != RD_KAFKA_RESP_ERR_NO_ERROR) {
    err << "ticket-replay: subscribe: " << rd_kafka_err2str(subscribed) << "\n";
    rd_kafka_destroy(rk);
    return 2;
  }
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);

  std::uint64_t printed = 0;
  auto last_message = std::chrono::steady_clock::now();
  while (!g_interrupted.load() && (!args->max || printed < *args->max)) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk, 100);
    const auto now = std::chrono::steady_clock::now();
    if (!message) {
      if (args->timeout_ms && now - last_message >= std::chrono::milliseconds(*args->timeout_ms)) break;
      continue;
    }
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      out << MessageJson(*message) << '\n' << std::flush;
      ++printed;
      last_message = now;
    } else if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      err << "ticket-replay: consume: " << rd_kafka_message_errstr(message) << "\n";
    }
    rd_kafka_message_destroy(message);
  }
  rd_kafka_consumer_close(rk);  // commits the offsets of what was printed
  rd_kafka_destroy(rk);
  err << "ticket-replay: consumed " << printed << " messages\n";
  return 0;
}

}  // namespace ticketd::replay

// Command-line options of ticketd (see the contract's "Server start").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ticketd::api {

struct ServerOptions {
  std::string data_dir = "./data";
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::optional<std::string> admin_token;  // --admin-token, else TICKETD_ADMIN_TOKEN
  std::string kafka = "off";               // embedded | off | HOST:PORT,...
  std::string kafka_topic = "ticket-events";
  std::string kafka_config;                // librdkafka properties file (SASL, TLS, ...)
  int threads = 0;                         // 0: one per core
  bool sync = true;                        // --unsafe-no-fsync for experiments only
  double rate_limit = 0;                   // --rate-limit N/s per token; 0 = off
  double rate_burst = 0;                   // --rate-burst N; 0 = same as the rate
  // Crypto-shredding: the master key from env TICKETD_MASTER_KEY (hex), else
  // this file (default DATA_DIR/master.key, generated on first start).
  std::string master_key_file;             // --master-key-file; empty: the default
  std::string master_key_hex;              // env TICKETD_MASTER_KEY
  bool seal_personal_data = true;          // --unsafe-no-encryption for benchmarks only
  std::uint64_t snapshot_every = 100000;   // --snapshot-every N events; 0 = no snapshots written
  std::int64_t access_token_ttl = 900;     // --access-token-ttl SECONDS: JWT lifetime (sign-in)
};

// Parses argv; on error returns nullopt and sets *error for a person. `help`
// is set when --help was asked for.
std::optional<ServerOptions> ParseServerOptions(int argc, char** argv, std::string* error, bool* help);

inline constexpr const char* kServerUsage =
    "usage: ticketd [--data-dir DIR] [--listen HOST:PORT] [--admin-token TOKEN]\n"
    "               [--kafka embedded|off|HOST:PORT,...] [--kafka-topic T] [--kafka-config FILE]\n"
    "               [--threads N] [--rate-limit N/s [--rate-burst N]] [--snapshot-every N]\n"
    "               [--access-token-ttl SECONDS]\n"
    "  --data-dir DIR     event log and state (default ./data; created if empty, recovered if not)\n"
    "  --listen HOST:PORT address to serve HTTP on (default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  --admin-token T    platform admin token (else env TICKETD_ADMIN_TOKEN, else generated once)\n"
    "  --kafka MODE       publish every event to Kafka: embedded (in-process cluster on loopback),\n"
    "                     off (default), or the bootstrap brokers HOST:PORT,...\n"
    "  --kafka-topic T    topic of the event stream (default ticket-events)\n"
    "  --kafka-config F   librdkafka properties for real brokers, key=value lines (SASL, TLS)\n"
    "  --threads N        HTTP worker threads (default: one per core)\n"
    "  --rate-limit N/s   per-token request rate (token bucket); off by default\n"
    "  --rate-burst N     bucket size for --rate-limit (default: N of the rate)\n"
    "  --master-key-file F  key that wraps the per-subject data keys (else env TICKETD_MASTER_KEY,\n"
    "                     64 hex digits; default DIR/master.key, generated on first start:\n"
    "                     back it up apart from the data dir)\n"
    "  --snapshot-every N write a read-model snapshot every N events and on shutdown (default 100000;\n"
    "                     0 = none)\n"
    "  --access-token-ttl S lifetime of the access tokens (JWTs) that sign-in issues (default 900)\n";

}  // namespace ticketd::api

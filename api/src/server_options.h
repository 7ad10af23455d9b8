// Options of the ticketd server (see the contract's "Server start"); the
// command line that fills them is server_command_line.h.
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
  // >>> workflow: SLA, timers, auto-close (issue 12, helper wf-sla)
  // >>> attachments (issue 13)
  std::string clamd_socket;  // --clamd: scan uploads with clamd (INSTREAM) on this Unix socket
  std::uint64_t upload_floor_kib = 24 * 1024;  // --upload-floor-kib: KiB/s all upload bodies get while commands queue; 0 = never paced
  // >>> mail out: notifier, templates, digest (issue 14, helper mail-out)
  std::string smtp = "spool";                   // --smtp off|spool|smtp://HOST:PORT|smtps://HOST:PORT
  std::string smtp_config;                      // --smtp-config FILE (username=, password=, starttls=)
  std::string mail_from = "ticketd@localhost";  // --mail-from ADDRESS
  std::string public_url;                       // --public-url URL; empty: http:// + the listen address
  // >>> mail in: inbound mail (issue 14, helper mail-in)
  // >>> web app (issue 15)
  // >>> live stream SSE (issue 15, helper live)
  int max_streams_per_user = 8;              // --max-streams-per-user: open GET /api/v1/stream per user
  std::uint64_t max_streams = 10000;         // --max-streams: open streams in all
  std::uint64_t stream_heartbeat_ms = 15000; // --stream-heartbeat-ms: ": ping" and credential re-check
  std::uint64_t stream_buffer_bytes = 65536; // --stream-buffer-bytes: a client further behind is dropped
};

}  // namespace ticketd::api

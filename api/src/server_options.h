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
  int threads = 0;                         // 0: one per core
  bool sync = true;                        // --unsafe-no-fsync for experiments only
  double rate_limit = 0;                   // --rate-limit N/s per token; 0 = off
  double rate_burst = 0;                   // --rate-burst N; 0 = same as the rate
  std::uint64_t snapshot_every = 100000;   // --snapshot-every N events; 0 = no snapshots written
};

// Parses argv; on error returns nullopt and sets *error for a person. `help`
// is set when --help was asked for.
std::optional<ServerOptions> ParseServerOptions(int argc, char** argv, std::string* error, bool* help);

inline constexpr const char* kServerUsage =
    "usage: ticketd [--data-dir DIR] [--listen HOST:PORT] [--admin-token TOKEN]\n"
    "               [--kafka embedded|off|HOST:PORT,...] [--threads N] [--rate-limit N/s [--rate-burst N]]\n"
    "               [--snapshot-every N]\n"
    "  --data-dir DIR     event log and state (default ./data; created if empty, recovered if not)\n"
    "  --listen HOST:PORT address to serve HTTP on (default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  --admin-token T    platform admin token (else env TICKETD_ADMIN_TOKEN, else generated once)\n"
    "  --kafka MODE       event stream publishing (default off in this build)\n"
    "  --threads N        HTTP worker threads (default: one per core)\n"
    "  --rate-limit N/s   per-token request rate (token bucket); off by default\n"
    "  --rate-burst N     bucket size for --rate-limit (default: N of the rate)\n"
    "  --snapshot-every N write a read-model snapshot every N events and on shutdown (default 100000;\n"
    "                     0 = none)\n";

}  // namespace ticketd::api

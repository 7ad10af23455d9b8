// `ticket-replay consume`: the analysts' example consumer of the event
// stream. Joins a consumer group on the topic and prints one JSON line per
// message: partition, offset, key, headers and the decoded envelope.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace ticketd::replay {

struct ConsumeOptions {
  std::string brokers;
  std::string topic = "ticket-events";
  std::string group = "ticket-replay";
  std::string config_file;  // --kafka-config
  bool from_beginning = false;
  std::optional<std::uint64_t> max;
  std::optional<int> timeout_ms;
};

// Adds the `consume` subcommand with its flags, bound to `options`, to `app`.
CLI::App* AddConsumeCommand(CLI::App& app, ConsumeOptions* options);

// Exit codes: 0 after --max messages, an idle --timeout-ms or SIGINT/SIGTERM;
// 2 a client that cannot be created.
int RunConsume(const ConsumeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ticketd::replay

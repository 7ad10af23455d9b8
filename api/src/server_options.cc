#include "server_options.h"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace ticketd::api {
namespace {

bool ParsePort(std::string_view text, std::uint16_t* port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > 65535) return false;
  *port = static_cast<std::uint16_t>(value);
  return true;
}

// embedded, off, or a list of HOST:PORT brokers.
bool ValidKafkaMode(std::string_view mode) {
  if (mode == "embedded" || mode == "off") return true;
  if (mode.empty()) return false;
  while (!mode.empty()) {
    auto comma = mode.find(',');
    std::string_view broker = mode.substr(0, comma);
    mode = comma == std::string_view::npos ? std::string_view() : mode.substr(comma + 1);
    auto colon = broker.rfind(':');
    std::uint16_t port = 0;
    if (colon == std::string_view::npos || colon == 0 || !ParsePort(broker.substr(colon + 1), &port) || port == 0)
      return false;
  }
  return true;
}

}  // namespace

std::optional<ServerOptions> ParseServerOptions(int argc, char** argv, std::string* error, bool* help) {
  ServerOptions options;
  *help = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    bool has_inline = false;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_inline = true;
    }
    auto next = [&](std::string_view* out) {
      if (has_inline) {
        *out = value;
        return true;
      }
      if (i + 1 >= argc) {
        *error = std::string(arg) + " needs a value";
        return false;
      }
      *out = argv[++i];
      return true;
    };
    std::string_view v;
    if (arg == "--help" || arg == "-h") {
      *help = true;
      return std::nullopt;
    } else if (arg == "--data-dir") {
      if (!next(&v)) return std::nullopt;
      options.data_dir = v;
    } else if (arg == "--listen") {
      if (!next(&v)) return std::nullopt;
      auto colon = v.rfind(':');
      if (colon == std::string_view::npos || colon == 0 ||
          !ParsePort(v.substr(colon + 1), &options.listen_port)) {
        *error = "--listen must be HOST:PORT, e.g. 127.0.0.1:8080";
        return std::nullopt;
      }
      options.listen_host = v.substr(0, colon);
      if (options.listen_host.size() > 2 && options.listen_host.front() == '[')
        options.listen_host = options.listen_host.substr(1, options.listen_host.size() - 2);
    } else if (arg == "--admin-token") {
      if (!next(&v)) return std::nullopt;
      if (v.empty()) {
        *error = "--admin-token must not be empty";
        return std::nullopt;
      }
      options.admin_token = std::string(v);
    } else if (arg == "--kafka") {
      if (!next(&v)) return std::nullopt;
      if (!ValidKafkaMode(v)) {
        *error = "--kafka must be embedded, off, or HOST:PORT[,HOST:PORT...]";
        return std::nullopt;
      }
      options.kafka = v;
    } else if (arg == "--kafka-topic") {
      if (!next(&v)) return std::nullopt;
      if (v.empty() || v.size() > 249) {
        *error = "--kafka-topic must be 1..249 characters";
        return std::nullopt;
      }
      options.kafka_topic = v;
    } else if (arg == "--kafka-config") {
      if (!next(&v)) return std::nullopt;
      options.kafka_config = v;
    } else if (arg == "--threads") {
      if (!next(&v)) return std::nullopt;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), options.threads);
      if (ec != std::errc() || end != v.data() + v.size() || options.threads < 1 || options.threads > 256) {
        *error = "--threads must be 1..256";
        return std::nullopt;
      }
    } else if (arg == "--rate-limit" || arg == "--rate-burst") {
      if (!next(&v)) return std::nullopt;
      std::string_view number = v;
      if (arg == "--rate-limit" && number.ends_with("/s")) number.remove_suffix(2);
      double value = 0;
      auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
      if (ec != std::errc() || end != number.data() + number.size() || !(value > 0) || value > 1e9) {
        *error = std::string(arg) + " must be a positive number" +
                 (arg == "--rate-limit" ? " per second, e.g. 50/s" : "");
        return std::nullopt;
      }
      (arg == "--rate-limit" ? options.rate_limit : options.rate_burst) = value;
    } else if (arg == "--master-key-file") {
      if (!next(&v)) return std::nullopt;
      if (v.empty()) {
        *error = "--master-key-file must not be empty";
        return std::nullopt;
      }
      options.master_key_file = v;
    } else if (arg == "--unsafe-no-encryption") {
      options.seal_personal_data = false;
    } else if (arg == "--snapshot-every") {
      if (!next(&v)) return std::nullopt;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), options.snapshot_every);
      if (ec != std::errc() || end != v.data() + v.size()) {
        *error = "--snapshot-every must be a number of events (0 = no snapshots)";
        return std::nullopt;
      }
    } else if (arg == "--access-token-ttl") {
      if (!next(&v)) return std::nullopt;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), options.access_token_ttl);
      if (ec != std::errc() || end != v.data() + v.size() || options.access_token_ttl < 1 ||
          options.access_token_ttl > 86400 * 30) {
        *error = "--access-token-ttl must be 1..2592000 seconds";
        return std::nullopt;
      }
    } else if (arg == "--unsafe-no-fsync") {
      options.sync = false;
    } else {
      *error = "unknown option " + std::string(arg);
      return std::nullopt;
    }
  }
  if (const char* env = std::getenv("TICKETD_MASTER_KEY"); env && *env) options.master_key_hex = env;
  if (options.master_key_file.empty()) options.master_key_file = options.data_dir + "/master.key";
  if (!options.admin_token) {
    if (const char* env = std::getenv("TICKETD_ADMIN_TOKEN"); env && *env) options.admin_token = env;
  }
  return options;
}

}  // namespace ticketd::api

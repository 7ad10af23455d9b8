#include "server_command_line.h"

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <utility>

#include "ticketd/cli/command_line.h"

namespace ticketd::api {
namespace {

struct HostPort {
  std::string host;  // without the brackets of an IPv6 literal
  std::uint16_t port = 0;
};

// "HOST:PORT" with a non-empty host; nullopt when malformed.
std::optional<HostPort> SplitHostPort(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return HostPort{std::string(host), static_cast<std::uint16_t>(port)};
}

// embedded, off, or a list of HOST:PORT brokers.
bool ValidKafkaMode(std::string_view mode) {
  if (mode == "embedded" || mode == "off") return true;
  if (mode.empty()) return false;
  while (!mode.empty()) {
    auto comma = mode.find(',');
    std::optional<HostPort> broker = SplitHostPort(mode.substr(0, comma));
    if (!broker || broker->port == 0) return false;
    mode = comma == std::string_view::npos ? std::string_view() : mode.substr(comma + 1);
  }
  return true;
}

// A check of the whole text: `why` is the message when `valid` says no.
template <class Predicate>
CLI::Validator Accepts(Predicate valid, std::string why) {
  return CLI::Validator(
      [valid, why](std::string& text) { return valid(std::string_view(text)) ? std::string() : why; }, "");
}

// A positive number up to 1e9; a rate may end in "/s", which is dropped.
CLI::Validator PositiveNumber(bool per_second) {
  return CLI::Validator(
      [per_second](std::string& text) -> std::string {
        if (per_second && text.ends_with("/s")) text.resize(text.size() - 2);
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || !(value > 0) || value > 1e9)
          return per_second ? "must be a positive number per second, e.g. 50/s" : "must be a positive number";
        return {};
      },
      "");
}

void AddServerFlags(CLI::App& app, ServerOptions* o) {
  app.add_option("--data-dir", o->data_dir, "event log and state (created if empty, recovered if not)")
      ->capture_default_str();
  app.add_option_function<std::string>(
         "--listen",
         [o](const std::string& text) {
           HostPort address = *SplitHostPort(text);  // checked below
           o->listen_host = std::move(address.host);
           o->listen_port = address.port;
         },
         "HOST:PORT to serve HTTP on (default 127.0.0.1:8080; port 0 picks a free one)")
      ->check(Accepts([](std::string_view t) { return SplitHostPort(t).has_value(); },
                      "must be HOST:PORT, e.g. 127.0.0.1:8080"));
  app.add_option_function<std::string>(
         "--admin-token", [o](const std::string& token) { o->admin_token = token; },
         "platform admin token (else env TICKETD_ADMIN_TOKEN, else generated once)")
      ->transform(cli::NonEmpty());
  app.add_option("--kafka", o->kafka,
                 "publish every event to Kafka: embedded (in-process cluster on loopback), off, "
                 "or the bootstrap brokers HOST:PORT,...")
      ->capture_default_str()
      ->check(Accepts(ValidKafkaMode, "must be embedded, off, or HOST:PORT[,HOST:PORT...]"));
  app.add_option("--kafka-topic", o->kafka_topic, "topic of the event stream")
      ->capture_default_str()
      ->check(Accepts([](std::string_view t) { return !t.empty() && t.size() <= 249; },
                      "must be 1..249 characters"));
  app.add_option("--kafka-config", o->kafka_config,
                 "librdkafka properties for real brokers, key=value lines (SASL, TLS)");
  app.add_option("--threads", o->threads, "HTTP worker threads, 1..256 (default: one per core)")
      ->transform(cli::DecimalIn(1, 256));
  app.add_option("--rate-limit", o->rate_limit, "per-token request rate N/s (token bucket); off by default")
      ->transform(PositiveNumber(/*per_second=*/true));
  app.add_option("--rate-burst", o->rate_burst, "bucket size for --rate-limit (default: N of the rate)")
      ->transform(PositiveNumber(/*per_second=*/false));
  app.add_option("--clamd", o->clamd_socket, "scan uploaded attachments with clamd on this Unix socket (INSTREAM)")
      ->transform(cli::NonEmpty());
  app.add_option("--upload-floor-kib", o->upload_floor_kib,
                 "KiB/s all upload bodies together are read at while the command path is saturated "
                 "(unlimited otherwise; 0 = never paced)")
      ->capture_default_str()
      ->transform(cli::DecimalIn(0, 1u << 30));
  app.add_option("--master-key-file", o->master_key_file,
                 "key that wraps the per-subject data keys (else env TICKETD_MASTER_KEY, 64 hex digits; "
                 "default DIR/master.key, generated on first start: back it up apart from the data dir)")
      ->transform(cli::NonEmpty());
  app.add_option("--snapshot-every", o->snapshot_every,
                 "write a read-model snapshot every N events and on shutdown (0 = none)")
      ->capture_default_str()
      ->transform(cli::DecimalIn(0, UINT64_MAX));
  app.add_option("--access-token-ttl", o->access_token_ttl, "lifetime in seconds of the access tokens (JWTs) sign-in issues")
      ->capture_default_str()
      ->transform(cli::DecimalIn(1, 31 * 86400));
  // mail out (issue 14)
  app.add_option("--smtp", o->smtp, "where mails go: off, spool (DIR/mail/outbox/*.eml), smtp://HOST:PORT or smtps://HOST:PORT")
      ->capture_default_str()
      ->check(Accepts([](std::string_view t) {
        return t == "off" || t == "spool" || ((t.starts_with("smtp://") || t.starts_with("smtps://")) &&
                                             SplitHostPort(t.substr(t.find("//") + 2)).has_value());
      }, "must be off, spool, smtp://HOST:PORT or smtps://HOST:PORT"));
  app.add_option("--smtp-config", o->smtp_config, "SMTP relay settings: username=, password=, starttls=required|opportunistic|off lines");
  app.add_option("--mail-from", o->mail_from, "sender address of every mail")->capture_default_str()
      ->check(Accepts([](std::string_view t) { return t.find('@') != std::string_view::npos && t.size() <= 254; },
                      "must be an address such as ticketd@example.com"));
  app.add_option("--public-url", o->public_url, "base of the links in mails (default http:// + the listen address)");
  // live stream SSE (GET /api/v1/stream)
  app.add_option("--max-streams-per-user", o->max_streams_per_user, "open live streams per user (then 429)")
      ->capture_default_str()
      ->transform(cli::DecimalIn(1, 1000));
  app.add_option("--max-streams", o->max_streams, "open live streams in all (then 503)")
      ->capture_default_str()
      ->transform(cli::DecimalIn(1, 1000000));
  app.add_option("--stream-heartbeat-ms", o->stream_heartbeat_ms,
                 "live streams: ms between ': ping' comments and credential re-checks")
      ->capture_default_str()
      ->transform(cli::DecimalIn(100, 3600000));
  app.add_option("--stream-buffer-bytes", o->stream_buffer_bytes,
                 "live streams: bytes queued for one client before it is dropped as too slow")
      ->capture_default_str()
      ->transform(cli::DecimalIn(1024, 64 << 20));
  app.add_flag_callback("--unsafe-no-encryption", [o] { o->seal_personal_data = false; },
                        "store personal data in plain text (for measuring the cost of sealing only)");
  app.add_flag_callback("--unsafe-no-fsync", [o] { o->sync = false; }, "no fsync per commit (experiments only)");
}

// What the flags leave to the environment and to other flags.
void ResolveDefaults(ServerOptions* options) {
  if (const char* env = std::getenv("TICKETD_MASTER_KEY"); env && *env) options->master_key_hex = env;
  if (options->master_key_file.empty()) options->master_key_file = options->data_dir + "/master.key";
  if (!options->admin_token) {
    if (const char* env = std::getenv("TICKETD_ADMIN_TOKEN"); env && *env) options->admin_token = env;
  }
}

}  // namespace

std::optional<int> ParseServerCommandLine(int argc, char** argv, ServerCommandLine* command_line) {
  CLI::App app("ticketd: the helpdesk server. Serves HTTP until SIGINT/SIGTERM, then drains and exits.",
               "ticketd");
  cli::UseConventions(app);
  AddServerFlags(app, &command_line->server);
  BackupCommandOptions backup_options;
  CLI::App* backup = AddBackupCommand(app, &backup_options);
  // The server's flags mean nothing to `ticketd backup`: refuse them there.
  for (CLI::Option* flag : app.get_options())
    if (flag != app.get_help_ptr()) backup->excludes(flag);
  if (std::optional<int> exit_code = cli::Parse(app, argc, argv, std::cout, std::cerr)) return exit_code;
  if (backup->parsed()) {
    command_line->backup = std::move(backup_options);
  } else {
    ResolveDefaults(&command_line->server);
  }
  return std::nullopt;
}

}  // namespace ticketd::api

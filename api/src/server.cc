#include "ticketd/api/server.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include "api_key_usage.h"
#include "ticketd/app/backup.h"
#include "ticketd/app/engine.h"
#include "ticketd/app/sla_timers.h"
#include "ticketd/app/event_stream.h"
#include "ticketd/app/mailer.h"
#include "http_server.h"
#include "live_hub.h"
#include "ticketd/app/ids.h"
#include "ticketd/base/sha256.h"
#include "ticketd/app/metrics.h"
#include "handlers_attachments.h"
#include "router.h"
#include "backup_command.h"
#include "catalog_seed.h"
#include "server_command_line.h"
#include "signin.h"

namespace ticketd::api {
namespace {

constexpr std::string_view kAdminTokenMetaKey = "admin_token_sha256";

// The platform admin token's hash: from the flag/env, else the one stored in
// the data dir, else a new token printed once to stderr and stored hashed.
Status ResolveAdminToken(const ServerOptions& options, eventstore::EventLog& log,
                         std::array<std::uint8_t, 32>* hash) {
  if (options.admin_token) {
    *hash = Sha256(*options.admin_token);
    return Status::Ok();
  }
  std::string stored;
  Status s = log.GetMeta(kAdminTokenMetaKey, &stored);
  if (s.ok() && stored.size() == hash->size()) {
    std::copy(stored.begin(), stored.end(), hash->begin());
    return Status::Ok();
  }
  if (!s.ok() && !s.IsNotFound()) return s;
  std::string token = app::NewBearerToken();
  *hash = Sha256(token);
  s = log.PutMeta(kAdminTokenMetaKey,
                  std::string_view(reinterpret_cast<const char*>(hash->data()), hash->size()));
  if (!s.ok()) return s;
  std::fprintf(stderr,
               "ticketd: generated the platform admin token (shown once, stored hashed):\n"
               "ticketd: admin token: %s\n",
               token.c_str());
  return Status::Ok();
}

}  // namespace

int RunServer(int argc, char** argv) {
  ServerCommandLine command_line;
  if (std::optional<int> exit_code = ParseServerCommandLine(argc, argv, &command_line)) return *exit_code;
  if (command_line.backup) return RunBackupCommand(*command_line.backup);
  const ServerOptions* options = &command_line.server;

  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Metrics metrics;
  std::unique_ptr<Engine> engine;
  app::EngineOptions engine_options;
  engine_options.data_dir = options->data_dir;
  engine_options.sync = options->sync;
  if (options->seal_personal_data) {
    eventstore::MasterKey key{};
    bool generated = false;
    Status loaded = eventstore::LoadMasterKey(options->master_key_hex, options->master_key_file,
                                              /*create=*/true, &key, &generated);
    if (!loaded.ok()) {
      std::fprintf(stderr, "ticketd: master key: %s\n", loaded.ToString().c_str());
      return 1;
    }
    if (generated)
      std::fprintf(stderr,
                   "ticketd: WARNING: generated a new master key at %s. Back it up apart from the data "
                   "dir: without it no personal data in the log can be read again.\n",
                   options->master_key_file.c_str());
    engine_options.master_key = key;
  } else {
    std::fprintf(stderr, "ticketd: WARNING: --unsafe-no-encryption: personal data is stored in plain text "
                         "and cannot be erased by crypto-shredding\n");
  }
  engine_options.snapshot_every = options->snapshot_every;
  Status s = Engine::Open(engine_options, &metrics, &engine);
  if (!s.ok()) {
    std::fprintf(stderr, "ticketd: cannot open data dir %s: %s\n", options->data_dir.c_str(),
                 s.ToString().c_str());
    return 1;
  }
  // workflow (issue 12): tenants from before the catalog get the default tree.
  s = SeedDefaultCatalogs(*engine, std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
  if (!s.ok()) {
    std::fprintf(stderr, "ticketd: seeding the default catalogs: %s\n", s.ToString().c_str());
    return 1;
  }
  ConfigureAttachments(options->clamd_socket, options->upload_floor_kib * 1024, metrics);
  RouterOptions router_options;
  router_options.rate_limit = options->rate_limit;
  router_options.rate_burst = options->rate_burst;
  router_options.mail_from = options->mail_from;  // mail in
  s = ResolveAdminToken(*options, engine->log(), &router_options.admin_token_sha256);
  if (!s.ok()) {
    std::fprintf(stderr, "ticketd: cannot store the admin token: %s\n", s.ToString().c_str());
    return 1;
  }
  std::unique_ptr<app::EventStream> event_stream;
  s = app::EventStream::Start({options->kafka, options->kafka_topic, options->kafka_config}, *engine, metrics,
                         &event_stream);
  if (!s.ok()) {
    std::fprintf(stderr, "ticketd: kafka: %s\n", s.ToString().c_str());
    return 1;
  }

  // mail out (issue 14): the notifier and delivery threads (mailer.h).
  std::unique_ptr<app::Mailer> mailer;
  if (options->smtp != "off") {
    app::MailerOptions mail_options;
    mail_options.smtp = options->smtp;
    mail_options.smtp_config = options->smtp_config;
    mail_options.mail_from = options->mail_from;
    mail_options.public_url = options->public_url;
    s = app::Mailer::Start(mail_options, *engine, metrics, &mailer);
    if (!s.ok()) {
      std::fprintf(stderr, "ticketd: mail: %s\n", s.ToString().c_str());
      return 1;
    }
  }

  // API key usage: counted in memory, persisted as batched events (api_key_usage.h).
  ApiKeyUsage api_key_usage(*engine, std::chrono::seconds(5));
  // Sign-in: the JWT key beside the log, and the Argon2id pool: one worker
  // per two cores (at least one), 32 jobs queued at most.
  SignIn signin;
  signin.access_token_ttl_seconds = options->access_token_ttl;
  s = JwtKeys::Open(options->data_dir, &signin.keys);
  if (!s.ok()) {
    std::fprintf(stderr, "ticketd: JWT signing key: %s\n", s.ToString().c_str());
    return 1;
  }
  signin.pool = std::make_unique<PasswordPool>(std::max(1u, std::thread::hardware_concurrency() / 2), 32,
                                               "ticketd-pwhash");
  (void)DummyPasswordHash();  // made now, so the first failed login costs what the others do
  // Live streams (GET /api/v1/stream): declared before the HTTP server, which
  // holds its streams, so it outlives them.
  LiveHubOptions live_options;
  live_options.max_streams_per_user = options->max_streams_per_user;
  live_options.max_streams = options->max_streams;
  live_options.heartbeat = std::chrono::milliseconds(options->stream_heartbeat_ms);
  live_options.max_buffer_bytes = options->stream_buffer_bytes;
  LiveHub live_hub(*engine, &metrics, live_options);
  router_options.live_hub = &live_hub;
  Router router(*engine, metrics, signin, router_options, &api_key_usage);
  // Time as a source of events: SLA breaches, escalations, auto-close.
  std::unique_ptr<app::SlaTimers> sla_timers = app::SlaTimers::Start(*engine, metrics);
  router.AttachMailer(mailer.get());
  HttpServerOptions http_options;
  http_options.address = options->listen_host;
  http_options.port = options->listen_port;
  http_options.threads =
      options->threads > 0 ? options->threads : std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<HttpServer> server;
  s = HttpServer::Start(http_options, router, &server);
  if (!s.ok()) {
    std::fprintf(stderr, "ticketd: cannot listen on %s:%u: %s\n", options->listen_host.c_str(),
                 options->listen_port, s.ToString().c_str());
    return 1;
  }
  if (mailer && options->public_url.empty())
    mailer->SetPublicUrl("http://" + options->listen_host + ":" + std::to_string(server->port()));
  std::fprintf(stderr, "ticketd: data dir %s, log head position %llu\n", options->data_dir.c_str(),
               static_cast<unsigned long long>(engine->log().HeadPosition()));
  std::fprintf(stderr, "ticketd: listening on http://%s:%u\n", options->listen_host.c_str(), server->port());
  std::fflush(stderr);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "ticketd: signal %d: draining\n", signal_number);
  server->Stop(std::chrono::milliseconds(5000));  // open streams end at once (their last chunk)
  live_hub.Stop();  // its commit listener goes before the engine does
  signin.pool->Stop();  // its jobs submit commands: before the engine stops
  api_key_usage.Stop();  // its last flush goes through the engine
  sla_timers->Stop();    // it submits commands: before the engine stops
  if (mailer) mailer->Stop();  // queued mails stay queued for the next start
  engine->Stop();
  // After the engine: every committed event is in the log for the relay.
  if (event_stream) event_stream->Stop(std::chrono::milliseconds(2000));
  std::fprintf(stderr, "ticketd: stopped cleanly\n");
  return 0;
}

}  // namespace ticketd::api

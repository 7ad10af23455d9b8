#include "ticketd/replay/replay.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/app/read_model_hashes.h"
#include "ticketd/cli/command_line.h"
#include "ticketd/domain/history.h"
#include "ticketd/domain/time.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/eventstore/event_log.h"
#include "ticketd/projections/json_writer.h"
#include "ticketd/projections/views.h"
#include "consume.h"
#include "verify.h"
#include "verify_attachments.h"

namespace ticketd::replay {
namespace {

using projections::JsonWriter;

// The flags of the subcommands that read a data dir.
struct LogFlags {
  std::string data_dir;
  std::optional<std::string> master_key_file;  // else DIR/master.key if present, or env TICKETD_MASTER_KEY
};

struct HistoryFlags {
  std::string ticket;              // a ticket id, checked while parsing
  std::optional<std::string> as_of;  // RFC 3339, checked while parsing
};

CLI::App* AddLogCommand(CLI::App& app, const char* name, const char* description, LogFlags* flags) {
  CLI::App* command = app.add_subcommand(name, description);
  command->add_option("--data-dir", flags->data_dir, "a ticketd data dir (read only; ticketd may be running)")
      ->required();
  command->add_option_function<std::string>(
      "--master-key-file", [flags](const std::string& file) { flags->master_key_file = file; },
      "opens sealed personal data (default DIR/master.key if present, or env TICKETD_MASTER_KEY); "
      "without it, such text reads \"[encrypted]\"");
  return command;
}

// A check of the whole text by a domain parser.
template <class Parser>
CLI::Validator ParsesAs(Parser parse, std::string why) {
  return CLI::Validator([parse, why](std::string& text) { return parse(text) ? std::string() : why; }, "");
}

int OpenLog(const LogFlags& flags, std::ostream& err, std::unique_ptr<eventstore::EventLog>* log) {
  std::error_code ec;
  if (!std::filesystem::is_directory(flags.data_dir, ec)) {
    err << "ticket-replay: " << flags.data_dir << " is not a directory\n";
    return 2;
  }
  // The master key is optional: verify and export need none, and history
  // without it shows sealed text as such.
  std::optional<eventstore::MasterKey> master_key;
  const char* env = std::getenv("TICKETD_MASTER_KEY");
  const std::string key_file =
      flags.master_key_file.value_or((std::filesystem::path(flags.data_dir) / "master.key").string());
  eventstore::MasterKey key{};
  bool generated = false;
  Status loaded = eventstore::LoadMasterKey(env ? env : "", key_file, /*create=*/false, &key, &generated);
  if (loaded.ok()) {
    master_key = key;
  } else if (!loaded.IsNotFound() || flags.master_key_file) {
    err << "ticket-replay: master key: " << loaded.ToString() << "\n";
    return 2;
  }
  std::filesystem::path path = std::filesystem::path(flags.data_dir) / "log";
  Status s = eventstore::EventLog::OpenReadOnly(path.string(), master_key, log);
  if (!s.ok()) {
    err << "ticket-replay: cannot read a ticketd log in " << flags.data_dir << ": " << s.ToString() << "\n";
    return 2;
  }
  return 0;
}

int Verify(const eventstore::EventLog& log, std::ostream& out, std::ostream& err) {
  VerifyReport report = VerifyLog(log);
  if (!report.ok) {
    err << "ticket-replay: verify FAILED at position " << report.first_bad_position << ": " << report.problem
        << "\n";
    out << "{\"ok\":false,\"first_bad_position\":" << report.first_bad_position << "}\n";
    return 1;
  }
  AttachmentReport attachments = VerifyAttachments(log);
  if (!attachments.ok) {
    err << "ticket-replay: verify FAILED: " << attachments.problem << "\n";
    out << "{\"ok\":false,\"first_bad_position\":" << attachments.first_bad_position << "}\n";
    return 1;
  }
  out << "{\"ok\":true,\"events\":" << report.events << ",\"head_position\":" << report.head_position
      << ",\"head_hash\":\"" << eventstore::HashToHex(report.head_hash) << "\",\"attachments\":{\"checked\":"
      << attachments.checked << ",\"erased\":" << attachments.erased << "}}\n";
  return 0;
}

int History(const HistoryFlags& flags, const eventstore::EventLog& log, std::ostream& out, std::ostream& err) {
  const std::optional<domain::Id> ticket_id = domain::Id::Parse(flags.ticket);  // checked while parsing
  std::optional<domain::Timestamp> as_of;
  if (flags.as_of) as_of = domain::ParseRfc3339(*flags.as_of);
  JsonWriter events_json;
  events_json.BeginArray();
  domain::TicketState state = domain::InitialTicketState();
  bool found = false;
  Status s = log.ReadAll(1, [&](const eventstore::RecordedEvent& recorded) {
    if (recorded.event.stream_id != *ticket_id || recorded.event.stream_id == recorded.event.tenant_id)
      return true;
    found = true;
    if (as_of && recorded.event.at > domain::EndOfMillisecond(*as_of)) return true;
    std::vector<domain::FieldChange> changes = domain::ChangesOf(state, recorded.event);
    state = domain::EvolveTicket(std::move(state), recorded.event);
    projections::WriteHistoryEntry(events_json, recorded, changes);
    return true;
  });
  events_json.EndArray();
  if (!s.ok()) {
    err << "ticket-replay: reading the log failed: " << s.ToString() << "\n";
    return 1;
  }
  if (!found) {
    err << "ticket-replay: no ticket " << ticket_id->ToString() << " in this log\n";
    return 1;
  }
  JsonWriter json;
  json.BeginObject().Key("ticket_id").String(ticket_id->ToString());
  json.Key("as_of");
  if (as_of) {
    json.String(domain::FormatRfc3339(*as_of));
  } else {
    json.Null();
  }
  json.Key("state").String(state.phase == domain::TicketState::Phase::kLive      ? "live"
                           : state.phase == domain::TicketState::Phase::kDeleted ? "deleted"
                                                                                 : "not_yet_created");
  json.Key("ticket");
  if (state.phase == domain::TicketState::Phase::kNew) {
    json.Null();
  } else {
    projections::WriteTicket(json, state.ticket, /*sees_internal=*/true);
  }
  json.Key("events").Raw(events_json.str()).EndObject();
  out << json.str() << "\n";
  return 0;
}

int Export(std::uint64_t from, const eventstore::EventLog& log, std::ostream& out, std::ostream& err) {
  std::string line;
  Status problem;
  Status s = log.ReadAllRaw(from, [&](const eventstore::RawRecord& record) {
    problem = eventstore::EnvelopeToJson(record.envelope, &line);
    if (!problem.ok()) return false;
    out << line << '\n';
    return true;
  });
  if (s.ok()) s = problem;
  if (!s.ok()) {
    err << "ticket-replay: export stopped: " << s.ToString() << "\n";
    return 1;
  }
  return 0;
}

int ReadModels(const eventstore::EventLog& log, std::ostream& out, std::ostream& err) {
  app::ReadModelHashes hashes;
  Status s = app::RebuildReadModelHashes(log, &hashes);
  if (!s.ok()) {
    err << "ticket-replay: rebuilding the read models failed: " << s.ToString() << "\n";
    return 1;
  }
  out << app::ReadModelHashesJson(hashes) << "\n";
  return 0;
}

}  // namespace

int RunReplay(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app("ticket-replay: the auditors' CLI over a ticketd data dir (read only) or its Kafka stream.",
               "ticket-replay");
  cli::UseConventions(app);
  // Not require_subcommand(): CLI11 would then report a mistyped command as
  // "a subcommand is required" instead of naming it.
  LogFlags log_flags;
  CLI::App* verify = AddLogCommand(app, "verify", "checks the chain, the positions and the decoding; "
                                   "prints {events, head_position, head_hash}", &log_flags);
  CLI::App* history = AddLogCommand(app, "history", "a ticket's state as of an instant and its events, JSON",
                                    &log_flags);
  HistoryFlags history_flags;
  history->add_option("--ticket", history_flags.ticket, "the ticket id (UUID)")
      ->required()
      ->check(ParsesAs(domain::Id::Parse, "must be a ticket id (UUID)"));
  history->add_option_function<std::string>(
             "--as-of", [&history_flags](const std::string& text) { history_flags.as_of = text; },
             "RFC3339 instant (default: now)")
      ->check(ParsesAs(domain::ParseRfc3339, "must be an RFC 3339 date-time"));
  CLI::App* export_command = AddLogCommand(app, "export", "JSON lines, one event each, in log order", &log_flags);
  std::uint64_t from = 1;
  export_command->add_option("--from", from, "the first position to export")
      ->capture_default_str()
      ->transform(cli::DecimalIn(1, UINT64_MAX));
  CLI::App* read_models = AddLogCommand(
      app, "read-models",
      "rebuilds every read model from the log alone and prints their canonical hashes "
      "(the same JSON as GET /api/v1/audit/read-models)",
      &log_flags);
  ConsumeOptions consume_options;
  CLI::App* consume = AddConsumeCommand(app, &consume_options);

  if (argc == 2 && std::string_view(argv[1]) == "help") {  // as before CLI11: `ticket-replay help`
    out << app.help();
    return 0;
  }
  if (std::optional<int> exit_code = cli::Parse(app, argc, argv, out, err)) return *exit_code;
  if (app.get_subcommands().empty()) {
    err << "ticket-replay: a command is required\n" << app.help();
    return 2;
  }
  if (consume->parsed()) return RunConsume(consume_options, out, err);
  std::unique_ptr<eventstore::EventLog> log;
  if (int code = OpenLog(log_flags, err, &log); code != 0) return code;
  if (verify->parsed()) return Verify(*log, out, err);
  if (history->parsed()) return History(history_flags, *log, out, err);
  if (read_models->parsed()) return ReadModels(*log, out, err);
  return Export(from, *log, out, err);
}

}  // namespace ticketd::replay

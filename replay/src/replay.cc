#include "ticketd/replay/replay.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ticketd/app/read_model_hashes.h"
#include "ticketd/domain/history.h"
#include "ticketd/domain/time.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/eventstore/event_log.h"
#include "ticketd/projections/json_writer.h"
#include "ticketd/projections/views.h"
#include "consume.h"
#include "verify.h"

namespace ticketd::replay {
namespace {

constexpr const char* kUsage =
    "usage: ticket-replay verify  --data-dir DIR\n"
    "       ticket-replay history --data-dir DIR --ticket ID [--as-of RFC3339]\n"
    "       ticket-replay export  --data-dir DIR [--from POSITION]\n"
    "       ticket-replay read-models --data-dir DIR\n"
    "       ticket-replay consume --brokers HOST:PORT,... [--topic T] [--group G] [--from-beginning]\n"
    "                             [--max N] [--timeout-ms MS] [--kafka-config FILE]\n"
    "  read-models rebuilds every read model from the log alone and prints their canonical hashes\n"
    "  (the same JSON as GET /api/v1/audit/read-models)\n"
    "  --master-key-file F  opens sealed personal data (default DIR/master.key if present, or env\n"
    "                       TICKETD_MASTER_KEY); without it, such text reads \"[encrypted]\"\n";

using projections::JsonWriter;

struct Args {
  std::string command;
  std::map<std::string, std::string, std::less<>> flags;
};

std::optional<Args> ParseArgs(int argc, char** argv, std::string* error) {
  if (argc < 2) {
    *error = "missing command";
    return std::nullopt;
  }
  Args args;
  args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (!flag.starts_with("--") || i + 1 >= argc) {
      *error = "expected --flag VALUE, got " + std::string(flag);
      return std::nullopt;
    }
    args.flags[std::string(flag.substr(2))] = argv[++i];
  }
  return args;
}

int OpenLog(const Args& args, std::ostream& err, std::unique_ptr<eventstore::EventLog>* log) {
  auto dir = args.flags.find("data-dir");
  if (dir == args.flags.end()) {
    err << "ticket-replay: --data-dir is required\n" << kUsage;
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir->second, ec)) {
    err << "ticket-replay: " << dir->second << " is not a directory\n";
    return 2;
  }
  // The master key is optional: verify and export need none, and history
  // without it shows sealed text as such.
  std::optional<eventstore::MasterKey> master_key;
  auto key_flag = args.flags.find("master-key-file");
  const char* env = std::getenv("TICKETD_MASTER_KEY");
  const std::string key_file = key_flag != args.flags.end()
                                   ? key_flag->second
                                   : (std::filesystem::path(dir->second) / "master.key").string();
  eventstore::MasterKey key{};
  bool generated = false;
  Status loaded = eventstore::LoadMasterKey(env ? env : "", key_file, /*create=*/false, &key, &generated);
  if (loaded.ok()) {
    master_key = key;
  } else if (!loaded.IsNotFound() || key_flag != args.flags.end()) {
    err << "ticket-replay: master key: " << loaded.ToString() << "\n";
    return 2;
  }
  std::filesystem::path path = std::filesystem::path(dir->second) / "log";
  Status s = eventstore::EventLog::OpenReadOnly(path.string(), master_key, log);
  if (!s.ok()) {
    err << "ticket-replay: cannot read a ticketd log in " << dir->second << ": " << s.ToString() << "\n";
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
  out << "{\"ok\":true,\"events\":" << report.events << ",\"head_position\":" << report.head_position
      << ",\"head_hash\":\"" << eventstore::HashToHex(report.head_hash) << "\"}\n";
  return 0;
}

int History(const Args& args, const eventstore::EventLog& log, std::ostream& out, std::ostream& err) {
  auto ticket_flag = args.flags.find("ticket");
  std::optional<domain::Id> ticket_id;
  if (ticket_flag != args.flags.end()) ticket_id = domain::Id::Parse(ticket_flag->second);
  if (!ticket_id) {
    err << "ticket-replay: --ticket must be a ticket id (UUID)\n";
    return 2;
  }
  std::optional<domain::Timestamp> as_of;
  if (auto it = args.flags.find("as-of"); it != args.flags.end()) {
    as_of = domain::ParseRfc3339(it->second);
    if (!as_of) {
      err << "ticket-replay: --as-of must be an RFC 3339 date-time\n";
      return 2;
    }
  }
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
    projections::WriteTicket(json, state.ticket);
  }
  json.Key("events").Raw(events_json.str()).EndObject();
  out << json.str() << "\n";
  return 0;
}

int Export(const Args& args, const eventstore::EventLog& log, std::ostream& out, std::ostream& err) {
  std::uint64_t from = 1;
  if (auto it = args.flags.find("from"); it != args.flags.end()) {
    const std::string& text = it->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), from);
    if (ec != std::errc() || end != text.data() + text.size() || from == 0) {
      err << "ticket-replay: --from must be a position >= 1\n";
      return 2;
    }
  }
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
  // consume reads Kafka, not a data dir, and has flags without values.
  if (argc >= 2 && std::string_view(argv[1]) == "consume") return RunConsume(argc, argv, out, err);
  std::string error;
  std::optional<Args> args = ParseArgs(argc, argv, &error);
  if (!args) {
    err << "ticket-replay: " << error << "\n" << kUsage;
    return 2;
  }
  if (args->command == "--help" || args->command == "help") {
    out << kUsage;
    return 0;
  }
  if (args->command != "verify" && args->command != "history" && args->command != "export" &&
      args->command != "read-models") {
    err << "ticket-replay: unknown command " << args->command << "\n" << kUsage;
    return 2;
  }
  std::unique_ptr<eventstore::EventLog> log;
  if (int code = OpenLog(*args, err, &log); code != 0) return code;
  if (args->command == "verify") return Verify(*log, out, err);
  if (args->command == "history") return History(*args, *log, out, err);
  if (args->command == "read-models") return ReadModels(*log, out, err);
  return Export(*args, *log, out, err);
}

}  // namespace ticketd::replay

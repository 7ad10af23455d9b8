// replay_log_gen: writes a realistic ticketd data dir for the replay
// benchmark (ops/bench-replay) straight through the EventLog API, in large
// unsynced batches — far faster than the HTTP API, and the events are the
// same ones the deciders would emit.
// Usage: replay_log_gen DATA_DIR [events=1000000] [created-only]
//
// created-only: each ticket gets its ticket.created alone (all open, like
// ops/bench-scale's HTTP load), so N events make ~N tickets: the 1M-ticket
// restart of ops/bench-replay without minutes of HTTP load.
//
// 10 tenants with 20 users each (UserCreated + TokenIssued), then tickets
// round-robin over the tenants, 5 events each: created, assigned, to
// in_progress, a comment (every 5th an update instead), resolved (every 3rd
// then also closed instead of commented). Timestamps advance 1 s per event.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "ticketd/domain/directory.h"
#include "ticketd/eventstore/event_log.h"

using namespace ticketd;
using domain::DomainEvent;
using domain::Id;

namespace {

constexpr int kTenants = 10;
constexpr int kUsersPerTenant = 20;
constexpr std::size_t kCommitsPerBatch = 4096;

Id NumberedId(std::uint64_t n, std::uint8_t kind) {
  Id id;
  std::memcpy(id.bytes.data(), &n, 8);
  id.bytes[6] = 0x40 | (id.bytes[6] & 0x0f);  // looks like a v4 UUID
  id.bytes[8] = 0x80 | (id.bytes[8] & 0x3f);
  id.bytes[14] = kind;
  return id;
}

class Generator {
 public:
  explicit Generator(eventstore::EventLog* log) : log_(log) {}

  Status Add(const Id& tenant, const Id& stream, std::int64_t version, const Id& actor, domain::EventPayload payload) {
    eventstore::EventToAppend append;
    append.event_id = NumberedId(++events_, 9);
    append.correlation_id = append.event_id;
    append.version = version;
    append.event = DomainEvent{tenant, stream, now_ += 1'000'000, actor, std::move(payload)};
    commits_.push_back(eventstore::Commit{{std::move(append)}});
    return commits_.size() >= kCommitsPerBatch ? Flush() : Status::Ok();
  }

  Status Flush() {
    if (commits_.empty()) return Status::Ok();
    std::vector<eventstore::CommitOutcome> outcomes;
    Status s = log_->AppendBatch(commits_, &outcomes);
    for (const auto& outcome : outcomes)
      if (s.ok() && !outcome.status.ok()) s = outcome.status;
    commits_.clear();
    return s;
  }

  std::uint64_t events() const { return events_; }
  domain::Timestamp now() const { return now_; }

 private:
  eventstore::EventLog* log_;
  std::vector<eventstore::Commit> commits_;
  std::uint64_t events_ = 0;
  domain::Timestamp now_ = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z
};

const char* const kWords[] = {"printer", "vpn",     "laptop", "screen", "password", "email",  "network",
                              "slow",    "broken",  "cannot", "login",  "office",   "install", "license",
                              "teams",   "keyboard", "wifi",  "server", "backup",   "phone"};

std::string Words(std::uint64_t seed, int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    if (i) text += ' ';
    text += kWords[(seed * 2654435761u + static_cast<std::uint64_t>(i) * 40503u) % 20];
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: replay_log_gen DATA_DIR [events=1000000] [created-only]\n");
    return 2;
  }
  const std::uint64_t target = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000;
  const bool created_only = argc > 3 && std::strcmp(argv[3], "created-only") == 0;
  eventstore::EventLogOptions options;
  options.path = (std::filesystem::path(argv[1]) / "log").string();
  options.sync = false;
  std::filesystem::create_directories(argv[1]);
  std::unique_ptr<eventstore::EventLog> log;
  if (Status s = eventstore::EventLog::Open(options, &log); !s.ok()) {
    std::fprintf(stderr, "replay_log_gen: %s\n", s.ToString().c_str());
    return 1;
  }
  if (log->HeadPosition() != 0) {
    std::fprintf(stderr, "replay_log_gen: %s already holds a log\n", argv[1]);
    return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  Generator gen(log.get());
  const Id admin;  // the platform admin acts with a nil id
  std::vector<Id> tenants;
  std::vector<std::vector<Id>> users(kTenants);
  std::vector<std::int64_t> tenant_versions(kTenants, 0), numbers(kTenants, 0);
  Status s;
  for (int t = 0; t < kTenants && s.ok(); ++t) {
    Id tenant = NumberedId(static_cast<std::uint64_t>(t) + 1, 1);
    tenants.push_back(tenant);
    s = gen.Add(tenant, tenant, ++tenant_versions[t], admin,
                domain::TenantCreated{tenant, "Tenant " + std::to_string(t), "T" + std::to_string(t)});
    for (int u = 0; u < kUsersPerTenant && s.ok(); ++u) {
      Id user = NumberedId(static_cast<std::uint64_t>(t * 1000 + u) + 1, 2);
      users[t].push_back(user);
      domain::UserCreated created{user, "User " + std::to_string(u),
                                  "user" + std::to_string(u) + "@t" + std::to_string(t) + ".example",
                                  u == 0 ? domain::Role::kAdmin : domain::Role::kAgent, u % 2 ? "IT" : "Ops"};
      s = gen.Add(tenant, tenant, ++tenant_versions[t], admin, std::move(created));
      domain::TokenIssued token{user, {}};
      token.token_sha256[0] = static_cast<std::uint8_t>(t);
      token.token_sha256[1] = static_cast<std::uint8_t>(u);
      if (s.ok()) s = gen.Add(tenant, tenant, ++tenant_versions[t], admin, token);
    }
  }
  std::uint64_t ticket = 0;
  while (s.ok() && gen.events() < target) {
    const int t = static_cast<int>(ticket % kTenants);
    const Id& tenant = tenants[t];
    const Id id = NumberedId(++ticket, 3);
    const Id& agent = users[t][ticket % kUsersPerTenant];
    const Id& reporter = users[t][(ticket + 7) % kUsersPerTenant];
    domain::TicketCreated created;
    created.ticket_id = id;
    created.number = ++numbers[t];
    created.number_text = domain::FormatTicketNumber("T" + std::to_string(t), created.number);
    created.subject = Words(ticket, 5);
    created.description = Words(ticket + 1, 14);
    created.priority = static_cast<domain::Priority>(ticket % 4);
    created.category = kWords[ticket % 7];
    created.reporter_id = reporter;
    if (ticket % 4 == 0) created.due_at = gen.now() + 86'400'000'000;
    s = gen.Add(tenant, id, 1, reporter, std::move(created));
    if (created_only) continue;
    if (s.ok()) s = gen.Add(tenant, id, 2, agent, domain::TicketAssigned{agent});
    if (s.ok())
      s = gen.Add(tenant, id, 3, agent, domain::TicketStatusChanged{domain::TicketStatus::kOpen,
                                                                    domain::TicketStatus::kInProgress});
    if (s.ok() && ticket % 5 == 0) {
      domain::TicketUpdated updated;
      updated.priority = domain::Priority::kUrgent;
      s = gen.Add(tenant, id, 4, agent, updated);
    } else if (s.ok()) {
      s = gen.Add(tenant, id, 4, agent, domain::CommentAdded{NumberedId(ticket, 4), Words(ticket + 2, 8), ticket % 2 == 0});
    }
    if (s.ok())
      s = gen.Add(tenant, id, 5, agent, domain::TicketStatusChanged{domain::TicketStatus::kInProgress,
                                                                    domain::TicketStatus::kResolved});
    if (s.ok() && ticket % 3 == 0)
      s = gen.Add(tenant, id, 6, agent, domain::TicketStatusChanged{domain::TicketStatus::kResolved,
                                                                    domain::TicketStatus::kClosed});
  }
  if (s.ok()) s = gen.Flush();
  if (!s.ok()) {
    std::fprintf(stderr, "replay_log_gen: %s\n", s.ToString().c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("replay_log_gen: %llu events (%llu tickets) in %.1f s\n",
              static_cast<unsigned long long>(gen.events()), static_cast<unsigned long long>(ticket), seconds);
  return 0;
}

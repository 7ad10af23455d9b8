// eventstore_bench: appended events per second with group commits.
// Usage: eventstore_bench [--no-sync] [events=200000] [batch sizes...=1 64 512]
//
// Two workloads per batch size, each in a fresh log under /tmp:
//   new     every commit starts a new stream (creating tickets)
//   update  commits go round-robin to 1,000 existing streams (changing them)
// Prints events/s; the log is synced per batch unless --no-sync.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "log_fixture.h"

using ticketd::Status;
using namespace ticketd::eventstore;
using namespace ticketd::eventstore::testing;

namespace {

constexpr std::uint32_t kUpdateStreams = 1000;

ticketd::domain::Id NumberedId(std::uint32_t n, std::uint8_t kind) {
  ticketd::domain::Id id;
  std::memcpy(id.bytes.data(), &n, 4);
  id.bytes[14] = kind;
  id.bytes[15] = 7;
  return id;
}

// Returns events/s, or a negative number if an append failed.
double Run(bool update, bool sync, int total, int batch_size) {
  ticketd::test_support::TempDir dir{"log-test"};
  std::unique_ptr<EventLog> log;
  EventLogOptions options{dir.path()};
  options.sync = sync;
  if (Status s = EventLog::Open(options, &log); !s.ok()) {
    std::fprintf(stderr, "open: %s\n", s.ToString().c_str());
    return -1;
  }
  const int events = batch_size == 1 && sync ? std::min(total, 5000) : total;
  std::vector<std::int64_t> versions(kUpdateStreams, 0);
  std::uint32_t next = 0;
  std::vector<CommitOutcome> outcomes;
  std::vector<Commit> commits;
  const auto start = std::chrono::steady_clock::now();
  for (int done = 0; done < events; done += batch_size) {
    commits.clear();
    for (int i = 0; i < batch_size; ++i, ++next) {
      const std::uint32_t stream = update ? next % kUpdateStreams : next;
      const std::int64_t version = update ? ++versions[stream] : 1;
      commits.push_back(Commit{{CommentEvent(NumberedId(next, 1), NumberedId(stream, 2), version)}});
    }
    Status s = log->AppendBatch(commits, &outcomes);
    for (const CommitOutcome& outcome : outcomes)
      if (s.ok() && !outcome.status.ok()) s = outcome.status;
    if (!s.ok()) {
      std::fprintf(stderr, "append: %s\n", s.ToString().c_str());
      return -1;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return next / seconds;  // all appended events (the last batch may overshoot `events`)
}

}  // namespace

int main(int argc, char** argv) {
  bool sync = true;
  int total = 200000;
  std::vector<int> batches;
  bool have_total = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--no-sync") {
      sync = false;
    } else if (!have_total) {
      total = std::atoi(argv[i]);
      have_total = true;
    } else {
      batches.push_back(std::atoi(argv[i]));
    }
  }
  if (batches.empty()) batches = {1, 64, 512};
  if (total <= 0) return 2;
  for (int batch_size : batches) {
    if (batch_size <= 0) return 2;
    for (bool update : {false, true}) {
      const double rate = Run(update, sync, total, batch_size);
      if (rate < 0) return 1;
      std::printf("eventstore_bench: %-6s batch %4d  %8.0f events/s (%s)\n", update ? "update" : "new",
                  batch_size, rate, sync ? "synced" : "not synced");
      std::fflush(stdout);
    }
  }
  return 0;
}

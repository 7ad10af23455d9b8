// replay_bench: where a full replay's time goes, phase by phase, in process
// (ops/bench-replay runs it). Not a test.
// Usage: replay_bench DATA_DIR [rounds=1] [phases=scan,decode,fold,replay]
//
// Opens DATA_DIR/log read-only and, per round, times
//   scan    reading the stored records only (RocksDB, StoredEvent, position check)
//   decode  scan + decoding every envelope into a RecordedEvent
//   fold    decode + folding into a fresh EngineState on the same thread
//   replay  what recovery does now (EventLog::ReadAllPipelined: decoding on a
//           second thread, folding on this one)
// printing the wall time and the CPU time of the process (all threads), as
// events/s. Exit 1 if the log cannot be read.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine_state.h"
#include "ticketd/eventstore/event_log.h"


using namespace ticketd;

namespace {

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::function<bool(std::string_view)> wanted_phase;

// Runs `phase`, prints its figures; false if it failed.
bool Time(const char* name, const std::function<Status(std::uint64_t*)>& phase) {
  if (!wanted_phase(name)) return true;
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = ProcessCpuSeconds();
  const double thread_start = ThreadCpuSeconds();
  std::uint64_t events = 0;
  Status s = phase(&events);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const double cpu = ProcessCpuSeconds() - cpu_start;
  const double thread = ThreadCpuSeconds() - thread_start;
  if (!s.ok()) {
    std::fprintf(stderr, "replay_bench: %s failed: %s\n", name, s.ToString().c_str());
    return false;
  }
  std::printf("%-7s %9llu events  wall %6.3f s = %8.0f events/s   CPU all threads %6.3f s = %8.0f events/s"
              "   this thread %6.3f s\n",
              name, static_cast<unsigned long long>(events), wall, static_cast<double>(events) / wall, cpu,
              static_cast<double>(events) / cpu, thread);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: replay_bench DATA_DIR [rounds=1]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 1;
  const std::string phases = argc > 3 ? argv[3] : "scan,decode,fold,replay";
  wanted_phase = [phases](std::string_view phase) { return phases.find(phase) != std::string::npos; };
  std::unique_ptr<eventstore::EventLog> log;
  Status s = eventstore::EventLog::OpenReadOnly((std::filesystem::path(argv[1]) / "log").string(), &log);
  if (!s.ok()) {
    std::fprintf(stderr, "replay_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  for (int round = 0; round < rounds; ++round) {
    bool ok = Time("scan", [&](std::uint64_t* n) {
      return log->ReadAllRaw(1, [&](const eventstore::RawRecord&) { return ++*n, true; });
    });
    ok = ok && Time("decode", [&](std::uint64_t* n) {
      return log->ReadAll(1, [&](const eventstore::RecordedEvent&) { return ++*n, true; });
    });
    // The states are destroyed outside the timed phases.
    auto state = std::make_unique<app::EngineState>();
    ok = ok && Time("fold", [&](std::uint64_t* n) {
      return log->ReadAll(1, [&](const eventstore::RecordedEvent& recorded) {
        state->Apply(recorded.event);
        return ++*n, true;
      });
    });
    state = std::make_unique<app::EngineState>();
    ok = ok && Time("replay", [&](std::uint64_t* n) {
      return log->ReadAllPipelined(1, [&](const eventstore::RecordedEvent& recorded) {
        state->Apply(recorded.event);
        return ++*n, true;
      });
    });
    if (!ok) return 1;
  }
  return 0;
}

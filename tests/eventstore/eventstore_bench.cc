// eventstore_bench: appended events per second with synced group commits.
// Usage: eventstore_bench [events=200000] [batch sizes...]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "log_fixture.h"

using namespace ticketd::eventstore;
using namespace ticketd::eventstore::testing;

int main(int argc, char** argv) {
  const int total = argc > 1 ? std::atoi(argv[1]) : 200000;
  std::vector<int> batches;
  for (int i = 2; i < argc; ++i) batches.push_back(std::atoi(argv[i]));
  if (batches.empty()) batches = {1, 64, 512};
  for (int batch_size : batches) {
    ScopedDir dir;
    std::unique_ptr<EventLog> log;
    if (!EventLog::Open(EventLogOptions{dir.path}, &log).ok()) return 1;
    const int events = batch_size == 1 ? std::min(total, 5000) : total;
    std::uint32_t next = 0;
    auto start = std::chrono::steady_clock::now();
    std::vector<CommitOutcome> outcomes;
    for (int done = 0; done < events; done += batch_size) {
      std::vector<Commit> commits;
      for (int i = 0; i < batch_size; ++i, ++next) {
        ticketd::domain::Id id, stream;
        std::memcpy(id.bytes.data(), &next, 4);
        id.bytes[15] = 7;
        std::memcpy(stream.bytes.data(), &next, 4);
        commits.push_back(Commit{{CommentEvent(id, stream, 1)}});
      }
      if (!log->AppendBatch(commits, &outcomes).ok()) return 1;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("eventstore_bench: batch %4d  %8d events  %10.0f events/s (synced)\n", batch_size, events,
                events / seconds);
  }
  return 0;
}

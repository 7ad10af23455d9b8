// kafka_publish_bench: publish lag of the outbox relay against the embedded
// (mock) cluster at a fixed event rate.
// Usage: kafka_publish_bench [events_per_second=10000] [seconds=10] [batch_interval_ms=5]
//
// A writer appends group commits to a synced log at the given rate (one
// commit per event, `rate * interval` events per batch, like the engine's
// group commit under load) and notifies the relay after each batch, as the
// engine does. Publish lag of an event = its delivery report (acks=all from
// the cluster) minus the moment its batch's AppendBatch returned. Prints
// percentiles; not a test, asserts nothing (ops/bench-kafka runs it).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "log_fixture.h"
#include "ticketd/eventstore/embedded_kafka.h"
#include "ticketd/eventstore/outbox_relay.h"

using namespace ticketd::eventstore;
using namespace ticketd::eventstore::testing;
using Clock = std::chrono::steady_clock;

namespace {

ticketd::domain::Id NumberedId(std::uint32_t n, std::uint8_t kind) {
  ticketd::domain::Id id;
  std::memcpy(id.bytes.data(), &n, 4);
  id.bytes[14] = kind;
  id.bytes[15] = 7;
  return id;
}

std::int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  std::size_t index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[index];
}

}  // namespace

int main(int argc, char** argv) {
  setvbuf(stdout, nullptr, _IOLBF, 0);  // interleave with the relay's stderr lines in order
  const int rate = argc > 1 ? std::atoi(argv[1]) : 10000;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  const int interval_ms = argc > 3 ? std::atoi(argv[3]) : 5;
  if (rate <= 0 || seconds <= 0 || interval_ms <= 0) {
    std::fprintf(stderr, "usage: kafka_publish_bench [events_per_second] [seconds] [batch_interval_ms]\n");
    return 2;
  }
  const int per_batch = std::max(1, rate * interval_ms / 1000);
  const std::size_t total = static_cast<std::size_t>(per_batch) * (seconds * 1000 / interval_ms);

  ticketd::test_support::TempDir dir{"log-test"};
  std::unique_ptr<EventLog> log;
  if (ticketd::Status s = EventLog::Open(EventLogOptions{dir.path()}, &log); !s.ok()) {
    std::fprintf(stderr, "open: %s\n", s.ToString().c_str());
    return 1;
  }
  std::unique_ptr<EmbeddedKafka> cluster;
  if (ticketd::Status s = EmbeddedKafka::Start(EmbeddedKafkaOptions{}, &cluster); !s.ok()) {
    std::fprintf(stderr, "cluster: %s\n", s.ToString().c_str());
    return 1;
  }

  // committed_at[position] and delivered_at[position], in steady-clock ns.
  std::vector<std::atomic<std::int64_t>> committed_at(total + 1), delivered_at(total + 1);
  auto now_ns = [] { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); };
  OutboxRelayOptions options;
  options.brokers = cluster->bootstrap();
  options.log = [](std::string_view line) {
    std::fprintf(stderr, "relay: %.*s\n", static_cast<int>(line.size()), line.data());
  };
  options.on_delivered = [&](std::uint64_t position) {
    if (position <= total) delivered_at[position].store(now_ns(), std::memory_order_relaxed);
  };
  std::unique_ptr<OutboxRelay> relay;
  if (ticketd::Status s = OutboxRelay::Start(options, log.get(), &relay); !s.ok()) {
    std::fprintf(stderr, "relay: %s\n", s.ToString().c_str());
    return 1;
  }

  std::printf("kafka_publish_bench: %d events/s for %d s, a group commit of %d events every %d ms, 3 brokers\n",
              rate, seconds, per_batch, interval_ms);
  std::vector<Commit> commits;
  std::vector<CommitOutcome> outcomes;
  std::uint32_t next = 0;
  auto tick = Clock::now();
  for (std::size_t appended = 0; appended < total; appended += per_batch) {
    tick += std::chrono::milliseconds(interval_ms);
    std::this_thread::sleep_until(tick);
    commits.clear();
    for (int i = 0; i < per_batch; ++i, ++next) {
      EventToAppend event = CommentEvent(NumberedId(next, 1), NumberedId(next, 2), 1);
      event.event.at = WallMicros();
      commits.push_back(Commit{{std::move(event)}});
    }
    ticketd::Status s = log->AppendBatch(commits, &outcomes);
    const std::int64_t at = now_ns();
    if (!s.ok()) {
      std::fprintf(stderr, "append: %s\n", s.ToString().c_str());
      return 1;
    }
    for (const CommitOutcome& outcome : outcomes)
      if (outcome.first_position <= total) committed_at[outcome.first_position].store(at, std::memory_order_relaxed);
    relay->Notify();
  }
  const auto wrote = Clock::now();
  while (relay->Stats().published_position < total && Clock::now() - wrote < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  relay->Stop(std::chrono::milliseconds(1000));

  std::vector<double> lags_ms;
  lags_ms.reserve(total);
  for (std::size_t p = 1; p <= total; ++p) {
    const std::int64_t delivered = delivered_at[p].load(), committed = committed_at[p].load();
    if (delivered && committed) lags_ms.push_back(static_cast<double>(delivered - committed) / 1e6);
  }
  std::sort(lags_ms.begin(), lags_ms.end());
  std::printf("delivered %zu of %zu events\n", lags_ms.size(), total);
  std::printf("publish lag ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n", Percentile(lags_ms, 0.50),
              Percentile(lags_ms, 0.90), Percentile(lags_ms, 0.99), Percentile(lags_ms, 0.999),
              lags_ms.empty() ? 0 : lags_ms.back());
  return lags_ms.size() == total ? 0 : 1;
}

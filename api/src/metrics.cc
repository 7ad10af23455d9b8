#include "metrics.h"

#include <array>
#include <cstdio>
#include <map>
#include <mutex>
#include <shared_mutex>

namespace ticketd::api {
namespace {

constexpr std::array<double, 14> kSecondsBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                    0.025,  0.05,    0.1,    0.25,  0.5,    1,     5};
constexpr std::array<double, 13> kSizeBuckets = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

void AddDouble(std::atomic<double>& target, double value) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + value, std::memory_order_relaxed)) {
  }
}

template <std::size_t N>
struct Histogram {
  const std::array<double, N>* bounds;
  std::array<std::atomic<std::uint64_t>, N + 1> counts{};
  std::atomic<double> sum{0};
  std::atomic<std::uint64_t> total{0};

  explicit Histogram(const std::array<double, N>* b) : bounds(b) {}
  void Observe(double value) {
    std::size_t i = 0;
    while (i < N && value > (*bounds)[i]) ++i;
    counts[i].fetch_add(1, std::memory_order_relaxed);
    AddDouble(sum, value);
    total.fetch_add(1, std::memory_order_relaxed);
  }
  void Render(std::string& out, const std::string& name, const std::string& labels) const {
    std::uint64_t cumulative = 0;
    char line[512];
    std::string sep = labels.empty() ? "" : ",";
    for (std::size_t i = 0; i < N; ++i) {
      cumulative += counts[i].load(std::memory_order_relaxed);
      std::snprintf(line, sizeof line, "%s_bucket{%s%sle=\"%g\"} %llu\n", name.c_str(), labels.c_str(),
                    sep.c_str(), (*bounds)[i], static_cast<unsigned long long>(cumulative));
      out += line;
    }
    cumulative += counts[N].load(std::memory_order_relaxed);
    std::snprintf(line, sizeof line, "%s_bucket{%s%sle=\"+Inf\"} %llu\n%s_sum{%s} %.9g\n%s_count{%s} %llu\n",
                  name.c_str(), labels.c_str(), sep.c_str(), static_cast<unsigned long long>(cumulative),
                  name.c_str(), labels.c_str(), sum.load(), name.c_str(), labels.c_str(),
                  static_cast<unsigned long long>(total.load()));
    out += line;
  }
};

std::string EscapeLabel(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

struct Metrics::Impl {
  mutable std::shared_mutex mu;  // guards the maps' shape; values are atomics
  std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>> request_counts;  // labels -> count
  std::map<std::string, std::unique_ptr<Histogram<kSecondsBuckets.size()>>> request_seconds;  // route labels
  std::map<std::string, std::pair<std::string, double>> gauges;  // name -> (help, value)

  std::atomic<std::uint64_t> events_appended{0};
  std::atomic<std::uint64_t> commands_committed{0};
  Histogram<kSizeBuckets.size()> batch_commands{&kSizeBuckets};
  Histogram<kSizeBuckets.size()> batch_events{&kSizeBuckets};
  Histogram<kSecondsBuckets.size()> fsync_seconds{&kSecondsBuckets};

  template <class Map, class Make>
  auto* FindOrCreate(Map& map, const std::string& key, Make make) {
    {
      std::shared_lock lock(mu);
      if (auto it = map.find(key); it != map.end()) return it->second.get();
    }
    std::unique_lock lock(mu);
    auto& slot = map[key];
    if (!slot) slot = make();
    return slot.get();
  }
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::ObserveRequest(std::string_view method, std::string_view route, int status, double seconds) {
  std::string labels = "method=\"" + EscapeLabel(method) + "\",route=\"" + EscapeLabel(route) +
                       "\",status=\"" + std::to_string(status) + "\"";
  impl_
      ->FindOrCreate(impl_->request_counts, labels,
                     [] { return std::make_unique<std::atomic<std::uint64_t>>(0); })
      ->fetch_add(1, std::memory_order_relaxed);
  std::string route_label = "route=\"" + EscapeLabel(route) + "\"";
  impl_
      ->FindOrCreate(impl_->request_seconds, route_label,
                     [] { return std::make_unique<Histogram<kSecondsBuckets.size()>>(&kSecondsBuckets); })
      ->Observe(seconds);
}

void Metrics::ObserveBatch(std::size_t commands, std::size_t events, double fsync_seconds) {
  impl_->events_appended.fetch_add(events, std::memory_order_relaxed);
  impl_->commands_committed.fetch_add(commands, std::memory_order_relaxed);
  impl_->batch_commands.Observe(static_cast<double>(commands));
  impl_->batch_events.Observe(static_cast<double>(events));
  impl_->fsync_seconds.Observe(fsync_seconds);
}

void Metrics::SetGauge(std::string_view name, std::string_view help, double value) {
  std::unique_lock lock(impl_->mu);
  impl_->gauges[std::string(name)] = {std::string(help), value};
}

std::string Metrics::Render() const {
  std::string out;
  char line[256];
  std::shared_lock lock(impl_->mu);
  out += "# HELP http_requests_total HTTP requests answered, by method, route and status.\n";
  out += "# TYPE http_requests_total counter\n";
  for (const auto& [labels, count] : impl_->request_counts)
    out += "http_requests_total{" + labels + "} " + std::to_string(count->load()) + "\n";
  out += "# HELP http_request_duration_seconds Server time per request.\n";
  out += "# TYPE http_request_duration_seconds histogram\n";
  for (const auto& [labels, histogram] : impl_->request_seconds)
    histogram->Render(out, "http_request_duration_seconds", labels);
  out += "# HELP ticketd_events_appended_total Events committed to the log.\n"
         "# TYPE ticketd_events_appended_total counter\nticketd_events_appended_total " +
         std::to_string(impl_->events_appended.load()) +
         "\n# HELP ticketd_commands_committed_total Commands whose events were committed.\n"
         "# TYPE ticketd_commands_committed_total counter\nticketd_commands_committed_total " +
         std::to_string(impl_->commands_committed.load()) + "\n";
  out +=
      "# HELP ticketd_batch_commands Commands per group commit.\n# TYPE ticketd_batch_commands histogram\n";
  impl_->batch_commands.Render(out, "ticketd_batch_commands", "");
  out += "# HELP ticketd_batch_events Events per group commit.\n# TYPE ticketd_batch_events histogram\n";
  impl_->batch_events.Render(out, "ticketd_batch_events", "");
  out += "# HELP ticketd_fsync_seconds Time to write and sync one group commit.\n";
  out += "# TYPE ticketd_fsync_seconds histogram\n";
  impl_->fsync_seconds.Render(out, "ticketd_fsync_seconds", "");
  for (const auto& [name, gauge] : impl_->gauges) {
    out += "# HELP " + name + " " + gauge.first + "\n# TYPE " + name + " gauge\n";
    std::snprintf(line, sizeof line, "%s %.17g\n", name.c_str(), gauge.second);
    out += line;
  }
  return out;
}

}  // namespace ticketd::api

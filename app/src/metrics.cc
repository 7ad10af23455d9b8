#include "ticketd/app/metrics.h"

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "allocator.h"

namespace ticketd::app {
namespace {

constexpr std::array<double, 14> kSecondsBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                    0.025,  0.05,    0.1,    0.25,  0.5,    1,     5};
constexpr std::array<double, 13> kSizeBuckets = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

void AppendNumber(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
    out.append(buffer, result.ptr);
  }
}

void AppendNumber(std::string& out, std::uint64_t value) { out += std::to_string(value); }

void AddDouble(std::atomic<double>& target, double value) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + value, std::memory_order_relaxed)) {
  }
}

// Label values: backslash, double quote and newline are escaped (format 0.0.4).
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

// HELP text: backslash and newline are escaped.
std::string EscapeHelp(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

// Metric names allow [a-zA-Z_:][a-zA-Z0-9_:]*; anything else becomes '_'.
std::string SanitizeName(std::string_view name) {
  std::string out = name.empty() ? "_" : std::string(name);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) out[i] = '_';
  }
  return out;
}

// The method comes from the client: an unknown one must not mint a series.
std::string_view MethodLabel(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  for (std::string_view known : kKnown)
    if (method == known) return known;
  return "OTHER";
}

template <std::size_t N>
struct Histogram {
  const std::array<double, N>* bounds;
  std::array<std::atomic<std::uint64_t>, N + 1> counts{};
  std::atomic<double> sum{0};

  explicit Histogram(const std::array<double, N>* b) : bounds(b) {}
  void Observe(double value) {
    if (std::isnan(value)) return;
    std::size_t i = 0;
    while (i < N && value > (*bounds)[i]) ++i;
    counts[i].fetch_add(1, std::memory_order_relaxed);
    AddDouble(sum, value);
  }
  // `labels` is empty or `a="x",b="y"`.
  void Render(std::string& out, std::string_view name, std::string_view labels) const {
    std::string prefix = std::string(name) + "_bucket{" + std::string(labels) + (labels.empty() ? "" : ",");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= N; ++i) {
      cumulative += counts[i].load(std::memory_order_relaxed);
      out += prefix + "le=\"";
      if (i < N)
        AppendNumber(out, (*bounds)[i]);
      else
        out += "+Inf";
      out += "\"} ";
      AppendNumber(out, cumulative);
      out += '\n';
    }
    std::string suffix = labels.empty() ? std::string() : "{" + std::string(labels) + "}";
    out += std::string(name) + "_sum" + suffix + " ";
    AppendNumber(out, sum.load(std::memory_order_relaxed));
    out += "\n" + std::string(name) + "_count" + suffix + " ";
    // The +Inf bucket, so _count always equals it even mid-update.
    AppendNumber(out, cumulative);
    out += '\n';
  }
};

using SecondsHistogram = Histogram<kSecondsBuckets.size()>;
using SizeHistogram = Histogram<kSizeBuckets.size()>;

void AppendHeader(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += EscapeHelp(help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

template <class Number>
void AppendSample(std::string& out, std::string_view name, std::string_view type, std::string_view help,
                  Number value) {
  AppendHeader(out, name, type, help);
  out += name;
  out += ' ';
  AppendNumber(out, value);
  out += '\n';
}

void AppendEventStream(std::string& out, const eventstore::OutboxRelayStats& stats) {
  AppendSample(out, "ticketd_kafka_publish_lag_events", "gauge",
               "Committed events not yet acknowledged by Kafka (log head - relay cursor).", stats.lag_events);
  AppendSample(out, "ticketd_kafka_publish_lag_seconds", "gauge",
               "Age of the oldest committed event Kafka has not acknowledged; 0 when caught up.",
               stats.lag_seconds);
  AppendSample(out, "ticketd_kafka_published_position", "gauge",
               "The relay cursor: every position up to it is acknowledged by Kafka.", stats.published_position);
  AppendSample(out, "ticketd_kafka_published_events_total", "counter",
               "Events acknowledged by Kafka since start (repeats after a restart included).",
               stats.published_total);
  AppendSample(out, "ticketd_kafka_errors_total", "counter",
               "Failed deliveries and Kafka client errors (a refused connection counts) since start.",
               stats.errors_total);
  AppendSample(out, "ticketd_kafka_broker_up", "gauge", "1 if a Kafka broker answered recently, else 0.",
               stats.broker_up ? 1.0 : 0.0);
}

}  // namespace

struct Metrics::Impl {
  // Guards the maps' shape only: lookups of existing series take it shared,
  // values are atomics, and a new label set takes it exclusively once.
  mutable std::shared_mutex mu;
  std::map<std::string, std::unique_ptr<std::atomic<std::uint64_t>>> request_counts;  // labels -> count
  std::map<std::string, std::unique_ptr<SecondsHistogram>> request_seconds;           // route label
  std::map<std::string, std::pair<std::string, double>> gauges;
  // name -> (help, labels -> value): labelled counters kept by their owners.
  std::map<std::string, std::pair<std::string, std::map<std::string, double>>> counters;                       // name -> (help, value)
  std::function<eventstore::OutboxRelayStats()> event_stream;                         // guarded by mu
  std::map<std::uint64_t, std::function<std::string()>> text_sources;                 // guarded by mu
  std::uint64_t next_text_source = 1;                                                 // guarded by mu

  std::atomic<std::uint64_t> events_appended{0};
  std::atomic<std::uint64_t> commands_committed{0};
  SizeHistogram batch_commands{&kSizeBuckets};
  SizeHistogram batch_events{&kSizeBuckets};
  SecondsHistogram fsync_seconds{&kSecondsBuckets};

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
  const std::string route_label = "route=\"" + EscapeLabel(route) + "\"";
  std::string labels = "method=\"" + std::string(MethodLabel(method)) + "\"," + route_label + ",status=\"" +
                       std::to_string(status) + "\"";
  impl_
      ->FindOrCreate(impl_->request_counts, labels,
                     [] { return std::make_unique<std::atomic<std::uint64_t>>(0); })
      ->fetch_add(1, std::memory_order_relaxed);
  impl_
      ->FindOrCreate(impl_->request_seconds, route_label,
                     [] { return std::make_unique<SecondsHistogram>(&kSecondsBuckets); })
      ->Observe(seconds);
}

void Metrics::ObserveBatch(std::size_t commands, std::size_t events, double fsync_seconds) {
  impl_->events_appended.fetch_add(events, std::memory_order_relaxed);
  impl_->commands_committed.fetch_add(commands, std::memory_order_relaxed);
  impl_->batch_commands.Observe(static_cast<double>(commands));
  impl_->batch_events.Observe(static_cast<double>(events));
  impl_->fsync_seconds.Observe(fsync_seconds);
}

void Metrics::SetEventStreamSource(std::function<eventstore::OutboxRelayStats()> source) {
  std::unique_lock lock(impl_->mu);
  impl_->event_stream = std::move(source);
}

std::uint64_t Metrics::AddTextSource(std::function<std::string()> render) {
  std::unique_lock lock(impl_->mu);
  const std::uint64_t handle = impl_->next_text_source++;
  impl_->text_sources.emplace(handle, std::move(render));
  return handle;
}

void Metrics::RemoveTextSource(std::uint64_t handle) {
  std::unique_lock lock(impl_->mu);
  impl_->text_sources.erase(handle);
}

void Metrics::SetGauge(std::string_view name, std::string_view help, double value) {
  std::string key = SanitizeName(name);
  std::unique_lock lock(impl_->mu);
  impl_->gauges[std::move(key)] = {std::string(help), value};
}

void Metrics::SetCounter(std::string_view name, std::string_view help, std::string labels, double value) {
  std::string key = SanitizeName(name);
  std::unique_lock lock(impl_->mu);
  auto& family = impl_->counters[std::move(key)];
  family.first = std::string(help);
  family.second[std::move(labels)] = value;
}

std::string Metrics::Render() const {
  std::string out;
  out.reserve(8192);
  std::shared_lock lock(impl_->mu);
  AppendHeader(out, "http_requests_total", "counter", "HTTP requests answered, by method, route and status.");
  for (const auto& [labels, count] : impl_->request_counts) {
    out += "http_requests_total{" + labels + "} ";
    AppendNumber(out, count->load(std::memory_order_relaxed));
    out += '\n';
  }
  AppendHeader(out, "http_request_duration_seconds", "histogram", "Server time per request, by route.");
  for (const auto& [labels, histogram] : impl_->request_seconds)
    histogram->Render(out, "http_request_duration_seconds", labels);

  AppendHeader(out, "ticketd_events_appended_total", "counter", "Events committed to the log.");
  out += "ticketd_events_appended_total ";
  AppendNumber(out, impl_->events_appended.load(std::memory_order_relaxed));
  out += '\n';
  AppendHeader(out, "ticketd_commands_committed_total", "counter", "Commands whose events were committed.");
  out += "ticketd_commands_committed_total ";
  AppendNumber(out, impl_->commands_committed.load(std::memory_order_relaxed));
  out += '\n';
  AppendHeader(out, "ticketd_batch_commands", "histogram", "Commands per group commit.");
  impl_->batch_commands.Render(out, "ticketd_batch_commands", "");
  AppendHeader(out, "ticketd_batch_events", "histogram", "Events per group commit.");
  impl_->batch_events.Render(out, "ticketd_batch_events", "");
  AppendHeader(out, "ticketd_fsync_seconds", "histogram", "Time to write and sync one group commit.");
  impl_->fsync_seconds.Render(out, "ticketd_fsync_seconds", "");

  if (impl_->event_stream) AppendEventStream(out, impl_->event_stream());
  for (const auto& [name, family] : impl_->counters) {
    AppendHeader(out, name, "counter", family.first);
    for (const auto& [labels, value] : family.second) {
      out += name + "{" + labels + "} ";
      AppendNumber(out, value);
      out += '\n';
    }
  }
  for (const auto& [name, gauge] : impl_->gauges) {
    AppendHeader(out, name, "gauge", gauge.first);
    out += name + " ";
    AppendNumber(out, gauge.second);
    out += '\n';
  }
  for (const auto& [handle, render] : impl_->text_sources) out += render();
  out += RenderAllocatorMetrics();
  return out;
}

}  // namespace ticketd::app

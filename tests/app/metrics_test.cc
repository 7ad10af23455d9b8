#include "ticketd/app/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace ticketd::app {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line) != std::string::npos;
}

TEST(Metrics, RendersRequestCountersAndHistogramsWithCorrectCounts) {
  Metrics metrics;
  metrics.ObserveRequest("GET", "/api/v1/tickets/{id}", 200, 0.0002);
  metrics.ObserveRequest("GET", "/api/v1/tickets/{id}", 200, 0.003);
  metrics.ObserveRequest("GET", "/api/v1/tickets/{id}", 404, 0.5);
  metrics.ObserveRequest("POST", "/api/v1/tickets", 201, 10);
  std::string text = metrics.Render();
  EXPECT_TRUE(Contains(text, "# TYPE http_requests_total counter\n"));
  EXPECT_TRUE(Contains(text, "# HELP http_requests_total "));
  EXPECT_TRUE(Contains(
      text, "http_requests_total{method=\"GET\",route=\"/api/v1/tickets/{id}\",status=\"200\"} 2\n"));
  EXPECT_TRUE(Contains(
      text, "http_requests_total{method=\"GET\",route=\"/api/v1/tickets/{id}\",status=\"404\"} 1\n"));
  EXPECT_TRUE(
      Contains(text, "http_requests_total{method=\"POST\",route=\"/api/v1/tickets\",status=\"201\"} 1\n"));
  EXPECT_TRUE(Contains(text, "# TYPE http_request_duration_seconds histogram\n"));
  const std::string route = "route=\"/api/v1/tickets/{id}\"";
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_bucket{" + route + ",le=\"0.0001\"} 0\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_bucket{" + route + ",le=\"0.00025\"} 1\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_bucket{" + route + ",le=\"0.005\"} 2\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_bucket{" + route + ",le=\"0.5\"} 3\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_bucket{" + route + ",le=\"+Inf\"} 3\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_count{" + route + "} 3\n"));
  // 10 s is above the last bound: only in +Inf.
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_bucket{route=\"/api/v1/tickets\",le=\"5\"} 0\n"));
  EXPECT_TRUE(
      Contains(text, "http_request_duration_seconds_bucket{route=\"/api/v1/tickets\",le=\"+Inf\"} 1\n"));
  EXPECT_TRUE(Contains(text, "http_request_duration_seconds_sum{route=\"/api/v1/tickets\"} 10\n"));
}

TEST(Metrics, RendersBatchesAndGauges) {
  Metrics metrics;
  metrics.ObserveBatch(3, 5, 0.002);
  metrics.ObserveBatch(1, 1, 0.001);
  metrics.SetGauge("ticketd_log_head_position", "Position of the last event.", 41);
  metrics.SetGauge("ticketd_log_head_position", "Position of the last event.", 42);
  std::string text = metrics.Render();
  EXPECT_TRUE(
      Contains(text, "# TYPE ticketd_events_appended_total counter\nticketd_events_appended_total 6\n"));
  EXPECT_TRUE(Contains(
      text, "# TYPE ticketd_commands_committed_total counter\nticketd_commands_committed_total 4\n"));
  EXPECT_TRUE(Contains(text, "ticketd_batch_commands_bucket{le=\"1\"} 1\n"));
  EXPECT_TRUE(Contains(text, "ticketd_batch_commands_bucket{le=\"4\"} 2\n"));
  EXPECT_TRUE(Contains(text, "ticketd_batch_events_bucket{le=\"4\"} 1\n"));
  EXPECT_TRUE(Contains(text, "ticketd_batch_events_bucket{le=\"8\"} 2\n"));
  EXPECT_TRUE(Contains(text, "ticketd_batch_events_bucket{le=\"4096\"} 2\n"));
  EXPECT_TRUE(Contains(text, "ticketd_batch_events_count 2\n"));
  EXPECT_TRUE(Contains(text, "ticketd_batch_events_sum 6\n"));
  EXPECT_TRUE(Contains(text, "ticketd_fsync_seconds_count 2\n"));
  EXPECT_TRUE(Contains(text,
                       "# HELP ticketd_log_head_position Position of the last event.\n"
                       "# TYPE ticketd_log_head_position gauge\nticketd_log_head_position 42\n"));
}

TEST(Metrics, EscapesLabelValuesAndFoldsUnknownMethods) {
  Metrics metrics;
  metrics.ObserveRequest("BREW\"\n", "we\"ird\\route\n", 418, 0.01);
  metrics.SetGauge("bad name-1", "help with \\ and\nnewline", 1.5);
  std::string text = metrics.Render();
  EXPECT_TRUE(Contains(
      text, "http_requests_total{method=\"OTHER\",route=\"we\\\"ird\\\\route\\n\",status=\"418\"} 1\n"));
  EXPECT_TRUE(Contains(text, "# HELP bad_name_1 help with \\\\ and\\nnewline\n"));
  EXPECT_TRUE(Contains(text, "bad_name_1 1.5\n"));
}

TEST(Metrics, ConcurrentObservationsAreAllCounted) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < 5000; ++i) {
        metrics.ObserveRequest("GET", "/r" + std::to_string(i % 3), 200, 0.001);
        if (t == 0 && i % 100 == 0) (void)metrics.Render();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::string text = metrics.Render();
  int total = 0;
  for (int r = 0; r < 3; ++r) {
    std::string prefix =
        "http_requests_total{method=\"GET\",route=\"/r" + std::to_string(r) + "\",status=\"200\"} ";
    auto at = text.find(prefix);
    ASSERT_NE(at, std::string::npos);
    total += std::stoi(text.substr(at + prefix.size()));
  }
  EXPECT_EQ(total, 4 * 5000);
}

}  // namespace
}  // namespace ticketd::app

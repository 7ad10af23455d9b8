// EventLog::ReadAllPipelined gives exactly what ReadAll gives: the same
// events in the same order, the same early stop, the same error after the
// same visited prefix, across many of its hand-over chunks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "log_test_util.h"

namespace ticketd::eventstore::testing {
namespace {

// 1,500 events on 30 streams: several of the pipeline's chunks.
void WriteMany(EventLog& log, int events) {
  std::vector<Commit> commits;
  for (int i = 0; i < events; ++i) {
    const auto stream = static_cast<std::uint8_t>(i % 30);
    commits.push_back(Commit{{CommentEvent(TestId(static_cast<std::uint8_t>(i / 256 + 1), static_cast<std::uint8_t>(i % 256)),
                                           TestId(1, stream), i / 30 + 1)}});
  }
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log.AppendBatch(commits, &outcomes).ok());
  for (const auto& outcome : outcomes) ASSERT_TRUE(outcome.status.ok()) << outcome.status.ToString();
}

struct Seen {
  std::uint64_t position;
  domain::Id event_id;
  std::int64_t version;
  std::string body;
};

std::vector<Seen> Collect(const EventLog& log, bool pipelined, std::uint64_t from, std::size_t stop_after,
                          Status* status) {
  std::vector<Seen> seen;
  auto visit = [&](const RecordedEvent& e) {
    seen.push_back(Seen{e.position, e.event_id, e.version, std::get<domain::CommentAdded>(e.event.payload).body});
    return seen.size() < stop_after;
  };
  *status = pipelined ? log.ReadAllPipelined(from, visit) : log.ReadAll(from, visit);
  return seen;
}

void ExpectSame(const std::vector<Seen>& a, const std::vector<Seen>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].position, b[i].position);
    EXPECT_EQ(a[i].event_id, b[i].event_id);
    EXPECT_EQ(a[i].version, b[i].version);
    EXPECT_EQ(a[i].body, b[i].body);
  }
}

TEST(ReadAllPipelined, VisitsWhatReadAllVisitsAndStopsWhereItStops) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  ASSERT_NE(log, nullptr);
  WriteMany(*log, 1500);
  for (std::uint64_t from : {1u, 2u, 700u, 1500u, 1501u}) {
    for (std::size_t stop_after : {std::size_t{1}, std::size_t{255}, std::size_t{256}, std::size_t{257},
                                   std::size_t{1000}, std::size_t{100000}}) {
      Status plain_status, pipelined_status;
      std::vector<Seen> plain = Collect(*log, false, from, stop_after, &plain_status);
      std::vector<Seen> pipelined = Collect(*log, true, from, stop_after, &pipelined_status);
      ASSERT_TRUE(plain_status.ok()) << plain_status.ToString();
      ASSERT_TRUE(pipelined_status.ok()) << pipelined_status.ToString();
      ExpectSame(plain, pipelined);
      const std::size_t expected = from > 1500 ? 0 : std::min<std::size_t>(stop_after, 1500 - from + 1);
      EXPECT_EQ(pipelined.size(), expected) << "from " << from << " stop after " << stop_after;
    }
  }
}

}  // namespace
}  // namespace ticketd::eventstore::testing

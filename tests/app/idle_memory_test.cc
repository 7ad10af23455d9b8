// IdleMemory: a quiet log's memtables are flushed once per quiet spell, and
// the releases are counted in /metrics.
#include "idle_memory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <span>

#include "poll_until.h"
#include "temp_dir.h"
#include "test_ids.h"
#include "ticketd/app/metrics.h"

namespace ticketd::app {
namespace {

using namespace std::chrono_literals;

std::size_t TableFiles(const std::string& dir) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    count += entry.path().extension() == ".sst";
  return count;
}

void AppendComment(eventstore::EventLog& log, std::int64_t version) {
  const domain::Id tenant = test_support::TestIdOf(200, 0, 1);
  const domain::Id ticket = test_support::TestIdOf(1, 0, 1);
  eventstore::EventToAppend e;
  e.event_id = test_support::TestIdOf(10, static_cast<std::uint8_t>(version), 1);
  e.correlation_id = test_support::TestIdOf(250, 0, 1);
  e.version = version;
  e.event = domain::DomainEvent{tenant, ticket, 1'000 * version, test_support::TestIdOf(90, 0, 1),
                                domain::CommentAdded{test_support::TestIdOf(91, static_cast<std::uint8_t>(version), 1),
                                                     "hello", false}};
  eventstore::Commit commit{{e}};
  std::vector<eventstore::CommitOutcome> outcomes;
  ASSERT_TRUE(log.AppendBatch(std::span<const eventstore::Commit>(&commit, 1), &outcomes).ok());
  ASSERT_TRUE(outcomes.at(0).status.ok()) << outcomes.at(0).status.ToString();
}

TEST(IdleMemory, FlushesOnceAfterEachQuietSpellAndCountsIt) {
  test_support::TempDir dir{"idle-memory"};
  std::unique_ptr<eventstore::EventLog> log;
  ASSERT_TRUE(eventstore::EventLog::Open(eventstore::EventLogOptions{dir.path()}, &log).ok());
  Metrics metrics;
  IdleMemory idle(*log, &metrics, IdleMemory::Options{.quiet_for = 20ms, .poll = 5ms, .min_memtable_bytes = 0});

  AppendComment(*log, 1);
  ASSERT_TRUE(test_support::PollUntil([&] { return idle.releases() == 1; }));
  EXPECT_GE(TableFiles(dir.path()), 1u);
  EXPECT_NE(metrics.Render().find("ticketd_idle_memory_releases_total{cause=\"quiet\"} 1\n"), std::string::npos);
  EXPECT_NE(metrics.Render().find("ticketd_idle_memory_released_position 1\n"), std::string::npos);

  const std::size_t files = TableFiles(dir.path());
  AppendComment(*log, 2);
  ASSERT_TRUE(test_support::PollUntil([&] { return idle.releases() == 2; }));
  EXPECT_GT(TableFiles(dir.path()), files);
  EXPECT_EQ(log->StreamVersion({test_support::TestIdOf(200, 0, 1), test_support::TestIdOf(1, 0, 1)}), 2);
}

}  // namespace
}  // namespace ticketd::app

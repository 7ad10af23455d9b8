// ReleaseIdleMemory: a quiet log's memtables go to table files, and nothing
// written before or after is lost.
#include <gtest/gtest.h>

#include <filesystem>

#include "log_test_util.h"

namespace ticketd::eventstore::testing {
namespace {

std::size_t TableFiles(const std::string& dir) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    count += entry.path().extension() == ".sst";
  return count;
}

TEST(EventLogIdleMemory, FlushesFullMemtablesAndLeavesSmallerOnesAlone) {
  test_support::TempDir dir{"log-test"};
  auto log = OpenLog(dir.path());
  for (std::uint8_t i = 1; i <= 20; ++i)
    ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(10, i), TestId(1), i)}}).ok());
  const std::size_t before = TableFiles(dir.path());

  ASSERT_TRUE(log->ReleaseIdleMemory(std::size_t{1} << 30).ok());
  EXPECT_EQ(TableFiles(dir.path()), before) << "no memtable holds 1 GiB: nothing to flush";

  ASSERT_TRUE(log->ReleaseIdleMemory(0).ok());
  EXPECT_GT(TableFiles(dir.path()), before);

  // Appends go on in fresh memtables; every event is still there, also after a reopen.
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(11), TestId(1), 21)}}).ok());
  EXPECT_EQ(log->StreamVersion(StreamKey{TestId(200), TestId(1)}), 21);
  log.reset();
  log = OpenLog(dir.path());
  EXPECT_EQ(AllPositions(*log).size(), 21u);
}

}  // namespace
}  // namespace ticketd::eventstore::testing

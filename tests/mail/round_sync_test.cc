// How a spool round is synced (mail/src/round_sync.h): syncfs() only while
// the machine's dirty page cache is small, read from /proc/meminfo.
#include "round_sync.h"

#include <gtest/gtest.h>

namespace ticketd::mail {
namespace {

TEST(RoundSync, DirtyBytesAreDirtyPlusWritebackOfMeminfo) {
  const std::string meminfo =
      "MemTotal:       24683652 kB\n"
      "Dirty:              1204 kB\n"
      "Writeback:            16 kB\n"
      "AnonPages:       1234567 kB\n"
      "WritebackTmp:     999999 kB\n";
  EXPECT_EQ(ParseDirtyBytes(meminfo), std::optional<std::uint64_t>((1204 + 16) * 1024ull));
  EXPECT_EQ(ParseDirtyBytes("MemTotal: 1 kB\nDirty: 5 kB\n"), std::nullopt);  // no Writeback line
  EXPECT_EQ(ParseDirtyBytes("NotDirty: 5 kB\nWriteback: 0 kB\n"), std::nullopt);
}

TEST(RoundSync, ForcedModesIgnoreTheDirtyCacheAndAutoReadsIt) {
  EXPECT_TRUE(SyncWholeFilesystem(SpoolSync::kWholeFilesystem));
  EXPECT_FALSE(SyncWholeFilesystem(SpoolSync::kEachFile));
  const std::optional<std::uint64_t> dirty = DirtyPageCacheBytes();
  ASSERT_TRUE(dirty.has_value());  // Linux: /proc/meminfo is there
  // kAuto follows the limit (the value may move between the two reads
  // only on a box writing heavily; both sides of the limit are far apart
  // then: skip instead of flaking).
  if (*dirty + (4u << 20) < kWholeFilesystemSyncDirtyLimit) {
    EXPECT_TRUE(SyncWholeFilesystem(SpoolSync::kAuto));
  }
  if (*dirty > kWholeFilesystemSyncDirtyLimit + (64u << 20)) {
    EXPECT_FALSE(SyncWholeFilesystem(SpoolSync::kAuto));
  }
}

}  // namespace
}  // namespace ticketd::mail

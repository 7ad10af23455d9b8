// SnapshotStore's file format: the sealing flag and the body layout are
// separate header fields, and files of the older formats still load.
#include "ticketd/app/snapshot_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::app {
namespace {

namespace fs = std::filesystem;

class SnapshotStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/ticketd-snapstore-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The newest accepted snapshot's header and body.
  bool LoadNewest(const SnapshotStore& store, SnapshotHeader* header, std::string* body) {
    return store
        .LoadNewest([&](const SnapshotHeader& h, std::string_view b) {
          *header = h;
          *body = std::string(b);
          return true;
        })
        .ok();
  }

  std::string dir_;
};

eventstore::MasterKey TestKey() {
  eventstore::MasterKey key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return key;
}

TEST_F(SnapshotStoreTest, BodyLayoutAndSealingTravelSeparately) {
  for (bool sealed : {false, true}) {
    SnapshotStore store(dir_ + (sealed ? "/sealed" : "/plain"),
                        sealed ? std::optional(TestKey()) : std::nullopt);
    SnapshotHeader written;
    written.position = 0;
    written.body_layout = 7;
    ASSERT_TRUE(store.Write(written, "the body").ok());
    SnapshotHeader read;
    std::string body;
    ASSERT_TRUE(LoadNewest(store, &read, &body));
    EXPECT_EQ(read.body_layout, 7u);
    EXPECT_EQ(read.sealed, sealed);
    EXPECT_EQ(body, "the body");
  }
}

TEST_F(SnapshotStoreTest, SealedFilesHoldNoPlainBody) {
  SnapshotStore store(dir_, TestKey());
  ASSERT_TRUE(store.Write(SnapshotHeader{}, "marker-b7e1 in the body").ok());
  std::ifstream file(fs::path(dir_) / store.List().front(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("marker-b7e1"), std::string::npos);
}

// A format-1 file (plain, 60-byte header, no flags or layout) as an older
// ticketd wrote it: it loads, with layout 1.
TEST_F(SnapshotStoreTest, FormatOneFilesStillLoadAsLayoutOne) {
  auto fixed = [](std::uint64_t value, int bytes) {
    std::string out;
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
    return out;
  };
  const std::string body = "old body";
  std::string head = "TKDSNAP\n" + fixed(1, 4) + fixed(0, 8) + std::string(32, '\0') + fixed(body.size(), 8);
  eventstore::Hash checksum =
      eventstore::ChainHash(eventstore::ChainHash(eventstore::Hash{}, head), body);
  head.append(reinterpret_cast<const char*>(checksum.data()), 32);
  fs::create_directories(dir_);
  std::ofstream(fs::path(dir_) / "snapshot-00000000000000000000.snap", std::ios::binary) << head << body;

  SnapshotStore store(dir_);
  SnapshotHeader read;
  std::string loaded;
  ASSERT_TRUE(LoadNewest(store, &read, &loaded));
  EXPECT_EQ(read.body_layout, 1u);
  EXPECT_FALSE(read.sealed);
  EXPECT_EQ(loaded, body);
}

}  // namespace
}  // namespace ticketd::app

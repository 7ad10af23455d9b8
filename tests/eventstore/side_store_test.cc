// SideStore (eventstore/side_store.h): the mail queue's own RocksDB.
#include "ticketd/eventstore/side_store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "temp_dir.h"

namespace ticketd::eventstore {
namespace {

std::vector<std::string> ScanAll(const SideStore& store, std::string_view prefix) {
  std::vector<std::string> seen;
  EXPECT_TRUE(store.Scan(prefix, [&](std::string_view key, std::string_view value) {
    seen.push_back(std::string(key) + "=" + std::string(value));
    return true;
  }).ok());
  return seen;
}

TEST(SideStoreTest, WritesAtomicallyScansByPrefixAndSurvivesAReopen) {
  test_support::TempDir dir{"side-store"};
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.path() + "/queue";
  {
    std::unique_ptr<SideStore> store;
    ASSERT_TRUE(SideStore::Open(path, &store).ok());
    const std::vector<MetaWrite> first = {{"mail/n/a", "1"}, {"mail/n/b", "2"}, {"mail/cursor", "7"}};
    ASSERT_TRUE(store->Write(first, MetaDurability::kWithNextSync).ok());
    const std::vector<MetaWrite> second = {{"mail/n/a", std::nullopt}, {"mail/n/c", "3"}};
    ASSERT_TRUE(store->Write(second, MetaDurability::kSynced).ok());
    EXPECT_EQ(ScanAll(*store, "mail/n/"), (std::vector<std::string>{"mail/n/b=2", "mail/n/c=3"}));
    std::string value;
    EXPECT_TRUE(store->Get("mail/n/a", &value).IsNotFound());
    EXPECT_TRUE(store->SyncWal().ok());
  }
  std::unique_ptr<SideStore> reopened;
  ASSERT_TRUE(SideStore::Open(path, &reopened).ok());
  std::string cursor;
  ASSERT_TRUE(reopened->Get("mail/cursor", &cursor).ok());
  EXPECT_EQ(cursor, "7");
  EXPECT_EQ(ScanAll(*reopened, "mail/"),
            (std::vector<std::string>{"mail/cursor=7", "mail/n/b=2", "mail/n/c=3"}));
}

TEST(SideStoreTest, CheckpointIsAStoreOfItsOwnAndRefusesAnExistingTarget) {
  test_support::TempDir dir{"side-store"};
  ASSERT_TRUE(dir.ok());
  std::unique_ptr<SideStore> store;
  ASSERT_TRUE(SideStore::Open(dir.path() + "/queue", &store).ok());
  const std::vector<MetaWrite> writes = {{"k", "before"}};
  ASSERT_TRUE(store->Write(writes, MetaDurability::kWithNextSync).ok());
  ASSERT_TRUE(store->Checkpoint(dir.path() + "/copy").ok());
  const std::vector<MetaWrite> later = {{"k", "after"}};
  ASSERT_TRUE(store->Write(later, MetaDurability::kWithNextSync).ok());
  EXPECT_FALSE(store->Checkpoint(dir.path() + "/copy").ok()) << "the target exists";

  std::unique_ptr<SideStore> copy;
  ASSERT_TRUE(SideStore::Open(dir.path() + "/copy", &copy).ok());
  std::string value;
  ASSERT_TRUE(copy->Get("k", &value).ok());
  EXPECT_EQ(value, "before");
}

}  // namespace
}  // namespace ticketd::eventstore

// The spool transport's batch (issue 14, performance): several mails written
// then made durable together, each under its Message-ID, whole files only;
// a re-send of the same mail replaces its file; a spool that cannot be
// written asks for a retry of every mail of the batch.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ticketd/mail/transport.h"

namespace ticketd::mail {
namespace {

namespace fs = std::filesystem;

class SpoolTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ticketd-spool-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    ASSERT_TRUE(MakeSpoolTransport(dir_.string(), &transport_, SpoolSync::kEachFile).ok());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  static OutgoingMail Mail(const std::string& id) {
    OutgoingMail mail;
    mail.message_id = "<" + id + "@example.test>";
    return mail;
  }
  std::size_t FilesIn(const char* sub) const {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_ / sub)) ++n;
    return n;
  }
  std::string Read(const std::string& id) const {
    std::ifstream in(dir_ / "outbox" / (id + "@example.test.eml"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
  std::unique_ptr<Transport> transport_;
};

TEST_F(SpoolTransportTest, BatchWritesEveryMailWholeUnderItsMessageId) {
  const OutgoingMail a = Mail("a"), b = Mail("b"), c = Mail("c");
  const std::vector<DeliveryResult> results =
      transport_->DeliverAll({{&a, "mail a\r\n"}, {&b, "mail b\r\n"}, {&c, std::string(100000, 'c')}});
  ASSERT_EQ(results.size(), 3u);
  for (const DeliveryResult& r : results) EXPECT_EQ(r.outcome, DeliveryOutcome::kSent) << r.error;
  EXPECT_EQ(FilesIn("outbox"), 3u);
  EXPECT_EQ(FilesIn("tmp"), 0u);
  EXPECT_EQ(Read("a"), "mail a\r\n");
  EXPECT_EQ(Read("c").size(), 100000u);
}

// A full round (256 mails) is synced by the pool of sync threads at once:
// every file lands whole under its name, nothing stays in tmp/.
TEST_F(SpoolTransportTest, FullRoundLandsWholeThroughTheParallelSyncs) {
  std::vector<OutgoingMail> mails;
  for (int i = 0; i < 256; ++i) mails.push_back(Mail("m" + std::to_string(i)));
  std::vector<Transport::Item> items;
  for (const OutgoingMail& mail : mails) items.push_back({&mail, "body of " + mail.message_id});
  const std::vector<DeliveryResult> results = transport_->DeliverAll(items);
  ASSERT_EQ(results.size(), 256u);
  for (const DeliveryResult& r : results) EXPECT_EQ(r.outcome, DeliveryOutcome::kSent) << r.error;
  EXPECT_EQ(FilesIn("outbox"), 256u);
  EXPECT_EQ(FilesIn("tmp"), 0u);
  EXPECT_EQ(Read("m255"), "body of <m255@example.test>");
  // A second round reuses the same threads.
  EXPECT_EQ(transport_->DeliverAll(items).size(), 256u);
  EXPECT_EQ(FilesIn("outbox"), 256u);
}

// The other way to make a round durable (round_sync.h): one syncfs() for
// the round instead of each file's fdatasync(); the files land the same.
TEST_F(SpoolTransportTest, RoundSyncedByOneSyncfsLandsEveryFileWhole) {
  ASSERT_TRUE(MakeSpoolTransport(dir_.string(), &transport_, SpoolSync::kWholeFilesystem).ok());
  std::vector<OutgoingMail> mails;
  for (int i = 0; i < 300; ++i) mails.push_back(Mail("s" + std::to_string(i)));
  std::vector<Transport::Item> items;
  for (const OutgoingMail& mail : mails) items.push_back({&mail, "body of " + mail.message_id});
  const std::vector<DeliveryResult> results = transport_->DeliverAll(items);
  ASSERT_EQ(results.size(), 300u);
  for (const DeliveryResult& r : results) EXPECT_EQ(r.outcome, DeliveryOutcome::kSent) << r.error;
  EXPECT_EQ(FilesIn("outbox"), 300u);
  EXPECT_EQ(FilesIn("tmp"), 0u);
  EXPECT_EQ(Read("s299"), "body of <s299@example.test>");
  // A second round over the same names replaces them.
  items[7].message = "s7 again";
  EXPECT_EQ(transport_->DeliverAll(items).size(), 300u);
  EXPECT_EQ(FilesIn("outbox"), 300u);
  EXPECT_EQ(Read("s7"), "s7 again");
}

// A start makes a fresh staging dir (spool_placement.h): a crash's
// leftovers in tmp/ go (their mails are still queued), the outbox stays.
TEST_F(SpoolTransportTest, StartEmptiesTheStagingDirAndKeepsTheOutbox) {
  const OutgoingMail a = Mail("a");
  ASSERT_EQ(transport_->Deliver(a, "kept").outcome, DeliveryOutcome::kSent);
  std::ofstream(dir_ / "tmp" / "half-written.eml") << "From: half";
  transport_.reset();
  ASSERT_TRUE(MakeSpoolTransport(dir_.string(), &transport_).ok());
  EXPECT_EQ(FilesIn("tmp"), 0u);
  EXPECT_EQ(Read("a"), "kept");
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_TRUE(entry.path().filename() == "tmp" || entry.path().filename() == "outbox") << entry.path();
}

TEST_F(SpoolTransportTest, ResendOfTheSameMessageIdReplacesItsFile) {
  const OutgoingMail a = Mail("a");
  EXPECT_EQ(transport_->Deliver(a, "first").outcome, DeliveryOutcome::kSent);
  EXPECT_EQ(transport_->DeliverAll({{&a, "second"}}).front().outcome, DeliveryOutcome::kSent);
  EXPECT_EQ(FilesIn("outbox"), 1u);
  EXPECT_EQ(Read("a"), "second");
}

TEST_F(SpoolTransportTest, UnwritableSpoolAsksToRetryEveryMailOfTheBatch) {
  for (SpoolSync sync : {SpoolSync::kEachFile, SpoolSync::kWholeFilesystem}) {
    ASSERT_TRUE(MakeSpoolTransport(dir_.string(), &transport_, sync).ok());
    // tmp/ replaced by a plain file: no open() can succeed, even as root.
    fs::remove_all(dir_ / "tmp");
    std::ofstream(dir_ / "tmp") << "not a directory";
    const OutgoingMail a = Mail("a"), b = Mail("b");
    const std::vector<DeliveryResult> results = transport_->DeliverAll({{&a, "a"}, {&b, "b"}});
    ASSERT_EQ(results.size(), 2u);
    for (const DeliveryResult& r : results) {
      EXPECT_EQ(r.outcome, DeliveryOutcome::kRetry);
      EXPECT_NE(r.error.find("spool open"), std::string::npos) << r.error;
    }
    EXPECT_EQ(FilesIn("outbox"), 0u);
    fs::remove(dir_ / "tmp");
  }
}

}  // namespace
}  // namespace ticketd::mail

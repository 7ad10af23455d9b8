// Streamed attachment bytes (blob_staging.h): chunks staged off the writer
// become a blob's bytes only through the commit that adopts them; the same
// bytes staged again are dropped by their commit; a staging no commit
// adopted is swept when the log opens.
#include <gtest/gtest.h>

#include <memory>

#include "disk_scan.h"
#include "log_test_util.h"
#include "ticketd/base/sha256.h"

namespace ticketd::eventstore::testing {
namespace {

using namespace ticketd::domain;

const Id kTenant = TestId(201);
const Id kTicket = TestId(3);

std::unique_ptr<EventLog> OpenSealed(const std::string& path) {
  EventLogOptions options{path};
  MasterKey key;
  key.fill(9);
  options.master_key = key;
  std::unique_ptr<EventLog> log;
  Status s = EventLog::Open(options, &log);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return log;
}

class StagedBlobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = OpenSealed(dir_.path());
    TicketCreated created;
    created.ticket_id = kTicket;
    created.number = 1;
    created.number_text = "TKT-000001";
    created.subject = "s";
    created.description = "d";
    created.reporter_id = TestId(91);
    ASSERT_TRUE(AppendOne(*log_, Commit{{Event(1, created)}, {}}).ok());
  }

  EventToAppend Event(std::int64_t version, EventPayload payload) {
    EventToAppend e;
    e.event_id = TestId(160, static_cast<std::uint8_t>(++ids_));
    e.version = version;
    e.event = DomainEvent{kTenant, kTicket, 1'000 * version, TestId(91), std::move(payload)};
    return e;
  }

  // Stages `bytes` in pieces of `piece` bytes.
  std::string Stage(const std::string& bytes, std::size_t piece = 100'000) {
    std::unique_ptr<BlobStaging> staging;
    EXPECT_TRUE(log_->StageBlob(&staging).ok());
    for (std::size_t at = 0; at < bytes.size(); at += piece)
      EXPECT_TRUE(staging->Append(std::string_view(bytes).substr(at, piece)).ok());
    StagedBlob staged;
    EXPECT_TRUE(staging->Finish(&staged).ok());
    return staged.Encode();
  }

  Status Adopt(std::int64_t version, const std::string& bytes, const std::string& staged) {
    AttachmentAdded added{TestId(170, static_cast<std::uint8_t>(++ids_)), std::nullopt, false, "f.pdf",
                          "application/pdf", static_cast<std::int64_t>(bytes.size()), Sha256Hex(bytes)};
    Commit commit{{Event(version, added)}, {}};
    commit.blobs.push_back({kTenant, added.sha256, nullptr, staged});
    return AppendOne(*log_, commit);
  }

  Status Read(const std::string& bytes, std::string* out) { return log_->ReadBlob(kTenant, Sha256Hex(bytes), out); }

  test_support::TempDir dir_{"staged-blob-test"};
  std::unique_ptr<EventLog> log_;
  int ids_ = 0;
};

// Over three chunks (BlobStaging::kChunkBytes), with a marker in each.
std::string LargeFile() {
  std::string bytes;
  for (int i = 0; bytes.size() < 3 * BlobStaging::kChunkBytes; ++i)
    bytes += "STAGED-MARKER-7e1f-" + std::to_string(i) + std::string(997, static_cast<char>('a' + i % 26));
  return bytes;
}

TEST_F(StagedBlobsTest, AdoptedChunksAreTheBlobsSealedBytesAcrossAReopen) {
  const std::string bytes = LargeFile();
  ASSERT_TRUE(Adopt(2, bytes, Stage(bytes)).ok());
  std::string out;
  ASSERT_TRUE(Read(bytes, &out).ok());
  EXPECT_EQ(out, bytes);
  log_.reset();
  EXPECT_FALSE(test_support::AnyFileContains(dir_.path(), "STAGED-MARKER-7e1f")) << "only ciphertext on disk";
  log_ = OpenSealed(dir_.path());
  out.clear();
  ASSERT_TRUE(Read(bytes, &out).ok());
  EXPECT_EQ(out, bytes);
}

TEST_F(StagedBlobsTest, TheSameBytesStagedAgainAreDroppedByTheirCommit) {
  const std::string bytes = LargeFile();
  ASSERT_TRUE(Adopt(2, bytes, Stage(bytes)).ok());
  ASSERT_TRUE(Adopt(3, bytes, Stage(bytes, 4096)).ok());
  std::string out;
  ASSERT_TRUE(Read(bytes, &out).ok());
  EXPECT_EQ(out, bytes);
}

TEST_F(StagedBlobsTest, AStagingNoCommitAdoptedIsSweptWhenTheLogOpens) {
  const std::string bytes = "orphan bytes of an upload a crash interrupted";
  const std::string staged = Stage(bytes);
  log_.reset();
  log_ = OpenSealed(dir_.path());
  // Adopting it now finds no chunks: the reader reports the bytes gone.
  ASSERT_TRUE(Adopt(2, bytes, staged).ok());
  std::string out;
  EXPECT_FALSE(Read(bytes, &out).ok()) << "the orphan's chunks survived the reopen";
}

TEST_F(StagedBlobsTest, AnUnfinishedStagingDropsItsChunks) {
  std::unique_ptr<BlobStaging> staging;
  ASSERT_TRUE(log_->StageBlob(&staging).ok());
  ASSERT_TRUE(staging->Append(std::string(BlobStaging::kChunkBytes + 10, 'x')).ok());
  staging.reset();  // abandoned mid-file
  std::unique_ptr<BlobStaging> next;
  EXPECT_TRUE(log_->StageBlob(&next).ok()) << "the log still stages after an abandoned file";
}

// An upload that found its bytes stored sends none (attachment_stream.cc):
// its commit only adds a reference.
TEST_F(StagedBlobsTest, BlobStoredTellsWhetherAnUploadMayReuseTheBytes) {
  const std::string bytes = LargeFile();
  bool stored = true;
  ASSERT_TRUE(log_->BlobStored(kTenant, Sha256Hex(bytes), &stored).ok());
  EXPECT_FALSE(stored);
  ASSERT_TRUE(Adopt(2, bytes, Stage(bytes)).ok());
  ASSERT_TRUE(log_->BlobStored(kTenant, Sha256Hex(bytes), &stored).ok());
  EXPECT_TRUE(stored);
  ASSERT_TRUE(log_->BlobStored(TestId(202), Sha256Hex(bytes), &stored).ok());
  EXPECT_FALSE(stored) << "another tenant's bytes are not this tenant's";
  ASSERT_TRUE(Adopt(3, bytes, "").ok()) << "a reference to stored bytes needs no bytes";
  std::string out;
  ASSERT_TRUE(Read(bytes, &out).ok());
  EXPECT_EQ(out, bytes);
}

// Bytes reused by an upload but shredded before its commit: the whole
// commit is refused before any of it is written, the file that did carry
// its bytes included.
TEST_F(StagedBlobsTest, ACommitMissingOneFilesBytesWritesNoneOfIt) {
  const std::string carried = LargeFile();
  const std::string missing = "bytes an upload found stored, shredded since";
  AttachmentAdded first{TestId(171), std::nullopt, false, "a.pdf", "application/pdf",
                        static_cast<std::int64_t>(carried.size()), Sha256Hex(carried)};
  AttachmentAdded second{TestId(172), std::nullopt, false, "b.pdf", "application/pdf",
                         static_cast<std::int64_t>(missing.size()), Sha256Hex(missing)};
  Commit commit{{Event(2, first), Event(3, second)}, {}};
  commit.blobs.push_back({kTenant, first.sha256, nullptr, Stage(carried)});
  commit.blobs.push_back({kTenant, second.sha256, nullptr, ""});
  Status refused = AppendOne(*log_, commit);
  EXPECT_EQ(refused.code(), Status::Code::kInvalidArgument) << refused.ToString();
  bool stored = true;
  ASSERT_TRUE(log_->BlobStored(kTenant, first.sha256, &stored).ok());
  EXPECT_FALSE(stored) << "the refused commit stored the other file's bytes";
  EXPECT_EQ(log_->StreamVersion({kTenant, kTicket}), 1);
}

}  // namespace
}  // namespace ticketd::eventstore::testing

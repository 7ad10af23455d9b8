// Attachment bytes in the log: stored sealed in the same write as their
// event, deduplicated per tenant, shredded when the last living ticket that
// references them is erased or deleted.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "disk_scan.h"
#include "log_test_util.h"
#include "ticketd/base/sha256.h"

namespace ticketd::eventstore::testing {
namespace {

using namespace ticketd::domain;
using test_support::AnyFileContains;

const Id kTenant = TestId(200);
const Id kTicketA = TestId(1);
const Id kTicketB = TestId(2);

std::unique_ptr<EventLog> OpenSealed(const std::string& path) {
  EventLogOptions options{path};
  MasterKey key;
  key.fill(7);
  options.master_key = key;
  std::unique_ptr<EventLog> log;
  Status s = EventLog::Open(options, &log);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return log;
}


// Distinct ids for every event and attachment of a test.
Id NextTestId() {
  static std::uint8_t counter = 0;
  ++counter;
  return TestId(150, counter);
}

EventToAppend Event(const Id& ticket, std::int64_t version, EventPayload payload) {
  EventToAppend e;
  e.event_id = NextTestId();
  e.version = version;
  e.event = DomainEvent{kTenant, ticket, 1'000 * version, TestId(90), std::move(payload)};
  return e;
}

TicketCreated Created(const Id& ticket) {
  TicketCreated c;
  c.ticket_id = ticket;
  c.number = 1;
  c.number_text = "TKT-000001";
  c.subject = "s";
  c.description = "d";
  c.reporter_id = TestId(90);
  return c;
}

// A commit attaching `bytes` to `ticket` at `version`, with the bytes.
Commit Attach(const Id& ticket, std::int64_t version, const std::string& bytes, bool with_bytes = true) {
  AttachmentAdded added{NextTestId(), std::nullopt, false, "shot.png", "image/png",
                        static_cast<std::int64_t>(bytes.size()), Sha256Hex(bytes)};
  Commit commit;
  commit.events.push_back(Event(ticket, version, added));
  if (with_bytes) commit.blobs.push_back({kTenant, added.sha256, std::make_shared<const std::string>(bytes)});
  return commit;
}

class AttachmentBlobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = OpenSealed(dir_.path());
    for (const Id& ticket : {kTicketA, kTicketB}) {
      Commit create;
      create.events.push_back(Event(ticket, 1, Created(ticket)));
      ASSERT_TRUE(AppendOne(*log_, create).ok());
    }
  }
  std::string Read(const std::string& bytes, Status* status = nullptr) {
    std::string out;
    Status s = log_->ReadBlob(kTenant, Sha256Hex(bytes), &out);
    if (status) *status = s;
    return out;
  }

  test_support::TempDir dir_{"blob-test"};
  std::unique_ptr<EventLog> log_;
};

const std::string kBytes = "\x89PNG....ATTACHMENT-MARKER-31337....";

TEST_F(AttachmentBlobsTest, BytesAreSealedOnDiskAndSurviveAReopen) {
  ASSERT_TRUE(AppendOne(*log_, Attach(kTicketA, 2, kBytes)).ok());
  EXPECT_EQ(Read(kBytes), kBytes);
  log_.reset();
  EXPECT_FALSE(AnyFileContains(dir_.path(), "ATTACHMENT-MARKER-31337")) << "only ciphertext on disk";
  log_ = OpenSealed(dir_.path());
  EXPECT_EQ(Read(kBytes), kBytes);
}

TEST_F(AttachmentBlobsTest, NewBytesMustTravelWithTheirEvent) {
  CommitOutcome outcome;
  EXPECT_EQ(AppendOne(*log_, Attach(kTicketA, 2, kBytes, /*with_bytes=*/false), &outcome).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(log_->StreamVersion({kTenant, kTicketA}), 1) << "nothing of the commit was written";
}

TEST_F(AttachmentBlobsTest, KnownBytesAreStoredOnceAndSharedUntilTheLastTicketGoes) {
  ASSERT_TRUE(AppendOne(*log_, Attach(kTicketA, 2, kBytes)).ok());
  ASSERT_TRUE(AppendOne(*log_, Attach(kTicketB, 2, kBytes, /*with_bytes=*/false)).ok()) << "deduplicated";

  Commit erase;
  erase.events.push_back(Event(kTicketA, 3, TicketErased{}));
  ASSERT_TRUE(AppendOne(*log_, erase).ok());
  EXPECT_EQ(Read(kBytes), kBytes) << "ticket B still references them";

  Commit remove;
  Ticket snapshot;
  snapshot.id = kTicketB;
  remove.events.push_back(Event(kTicketB, 3, TicketDeleted{snapshot}));
  ASSERT_TRUE(AppendOne(*log_, remove).ok());
  Status status;
  Read(kBytes, &status);
  EXPECT_TRUE(status.IsNotFound()) << status.ToString();
  ASSERT_TRUE(log_->PurgeErasedKeys().ok());
  log_.reset();
  log_ = OpenSealed(dir_.path());
  Read(kBytes, &status);
  EXPECT_TRUE(status.IsNotFound()) << "the key stays destroyed";
}

TEST_F(AttachmentBlobsTest, BytesUploadedAgainAfterShreddingGetANewKey) {
  ASSERT_TRUE(AppendOne(*log_, Attach(kTicketA, 2, kBytes)).ok());
  Commit erase;
  erase.events.push_back(Event(kTicketA, 3, TicketErased{}));
  ASSERT_TRUE(AppendOne(*log_, erase).ok());
  Status status;
  Read(kBytes, &status);
  ASSERT_TRUE(status.IsNotFound());
  EXPECT_EQ(AppendOne(*log_, Attach(kTicketB, 2, kBytes, /*with_bytes=*/false)).code(),
            Status::Code::kInvalidArgument) << "shredded bytes are not known any more";
  ASSERT_TRUE(AppendOne(*log_, Attach(kTicketB, 2, kBytes)).ok());
  EXPECT_EQ(Read(kBytes), kBytes);
}

TEST_F(AttachmentBlobsTest, OneBatchThatErasesAndAttachesTheSameBytesKeepsThem) {
  ASSERT_TRUE(AppendOne(*log_, Attach(kTicketA, 2, kBytes)).ok());
  std::vector<Commit> commits(2);
  commits[0].events.push_back(Event(kTicketA, 3, TicketErased{}));
  commits[1] = Attach(kTicketB, 2, kBytes, /*with_bytes=*/true);
  std::vector<CommitOutcome> outcomes;
  ASSERT_TRUE(log_->AppendBatch(commits, &outcomes).ok());
  ASSERT_TRUE(outcomes[1].status.ok()) << outcomes[1].status.ToString();
  EXPECT_EQ(Read(kBytes), kBytes);
}

}  // namespace
}  // namespace ticketd::eventstore::testing

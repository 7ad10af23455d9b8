// Crypto-shredding in the log: personal text is sealed before it reaches
// RocksDB, erasure destroys the subject's key in the same write and purges it
// from every file, and the audit chain still verifies afterwards.
#include <gtest/gtest.h>

#include <filesystem>

#include <rocksdb/db.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "disk_scan.h"
#include "log_test_util.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/eventstore/failpoint.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore::testing {
namespace {

using namespace ticketd::domain;
using test_support::AnyFileContains;

MasterKey KeyOf(std::uint8_t fill) {
  MasterKey key;
  key.fill(fill);
  return key;
}

std::unique_ptr<EventLog> OpenSealed(const std::string& path, std::uint8_t key_fill = 7) {
  EventLogOptions options{path};
  options.master_key = KeyOf(key_fill);
  std::unique_ptr<EventLog> log;
  Status s = EventLog::Open(options, &log);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return log;
}

EventToAppend Event(const Id& stream, std::int64_t version, EventPayload payload, std::uint8_t id_tag) {
  EventToAppend e;
  e.event_id = TestId(id_tag, static_cast<std::uint8_t>(version));
  e.version = version;
  e.event = DomainEvent{TestId(200), stream, 1'000 * version, TestId(90), std::move(payload)};
  return e;
}

TicketCreated Created(const Id& ticket, const std::string& marker) {
  TicketCreated c;
  c.ticket_id = ticket;
  c.number = 1;
  c.number_text = "TKT-000001";
  c.subject = "subject " + marker;
  c.description = "description " + marker;
  c.reporter_id = TestId(90);
  return c;
}


struct Texts {
  std::string subject, description;
  std::vector<std::string> comments;
};

Texts ReadTexts(const EventLog& log, const Id& ticket) {
  std::vector<RecordedEvent> events;
  EXPECT_TRUE(log.ReadStream({TestId(200), ticket}, &events).ok());
  Texts texts;
  for (const auto& e : events) {
    if (const auto* c = std::get_if<TicketCreated>(&e.event.payload)) {
      texts.subject = c->subject;
      texts.description = c->description;
    } else if (const auto* comment = std::get_if<CommentAdded>(&e.event.payload)) {
      texts.comments.push_back(comment->body);
    }
  }
  return texts;
}

const Id kTicketA = TestId(1);
const Id kTicketB = TestId(2);

// Two tickets with a comment each, markers that name them.
void WriteTwoTickets(EventLog& log) {
  for (const Id& ticket : {kTicketA, kTicketB}) {
    const std::string marker = ticket == kTicketA ? "MARKER-ALPHA" : "MARKER-BRAVO";
    const std::uint8_t tag = ticket == kTicketA ? 10 : 20;
    Commit commit;
    commit.events.push_back(Event(ticket, 1, Created(ticket, marker), tag));
    commit.events.push_back(Event(ticket, 2, CommentAdded{TestId(tag, 99), "comment " + marker, false}, tag));
    ASSERT_TRUE(AppendOne(log, commit).ok());
  }
}

TEST(CryptoShredding, TextIsSealedOnDiskAndPlainToTheReader) {
  test_support::TempDir dir{"log-test"};
  {
    auto log = OpenSealed(dir.path());
    WriteTwoTickets(*log);
    const Texts a = ReadTexts(*log, kTicketA);
    EXPECT_EQ(a.subject, "subject MARKER-ALPHA");
    EXPECT_EQ(a.description, "description MARKER-ALPHA");
    EXPECT_EQ(a.comments, std::vector<std::string>{"comment MARKER-ALPHA"});
    // The stored envelopes hold ciphertext and the key id, never the text.
    Status s = log->ReadAllRaw(1, [&](const RawRecord& raw) {
      EXPECT_EQ(raw.envelope.find("MARKER"), std::string_view::npos);
      EXPECT_NE(raw.envelope.find("ticket:"), std::string_view::npos);
      return true;
    });
    EXPECT_TRUE(s.ok());
  }
  EXPECT_FALSE(AnyFileContains(dir.path(), "MARKER-ALPHA"));
  EXPECT_FALSE(AnyFileContains(dir.path(), "MARKER-BRAVO"));
}

TEST(CryptoShredding, ErasureMakesOneTicketsTextUnreadableForGood) {
  test_support::TempDir dir{"log-test"};
  Hash head_before{};
  {
    auto log = OpenSealed(dir.path());
    WriteTwoTickets(*log);
    Commit erase;
    erase.events.push_back(Event(kTicketA, 3, TicketErased{}, 30));
    ASSERT_TRUE(AppendOne(*log, erase).ok());
    const Texts a = ReadTexts(*log, kTicketA);
    EXPECT_EQ(a.subject, kErasedText);
    EXPECT_EQ(a.description, kErasedText);
    EXPECT_EQ(a.comments, std::vector<std::string>{std::string(kErasedText)});
    EXPECT_EQ(ReadTexts(*log, kTicketB).subject, "subject MARKER-BRAVO");  // another subject keeps its key

    // New text for the erased ticket is refused; metadata changes are not.
    CommitOutcome refused;
    Commit comment;
    comment.events.push_back(Event(kTicketA, 4, CommentAdded{TestId(31), "again", false}, 31));
    EXPECT_EQ(AppendOne(*log, comment, &refused).code(), Status::Code::kInvalidArgument);
    Commit status;
    status.events.push_back(Event(kTicketA, 4, TicketStatusChanged{TicketStatus::kOpen, TicketStatus::kCancelled}, 32));
    EXPECT_TRUE(AppendOne(*log, status).ok());
    // Deleting it afterwards writes the snapshot's text as erased.
    Ticket snapshot;
    snapshot.id = kTicketA;
    snapshot.tenant_id = TestId(200);
    snapshot.subject = std::string(kErasedText);
    snapshot.description = std::string(kErasedText);
    snapshot.erased_at = 3'000;
    Commit del;
    del.events.push_back(Event(kTicketA, 5, TicketDeleted{snapshot}, 33));
    ASSERT_TRUE(AppendOne(*log, del).ok());
    head_before = log->HeadHash();
  }
  {
    // After a restart: still erased, and the chain of stored bytes still holds.
    auto log = OpenSealed(dir.path());
    EXPECT_EQ(ReadTexts(*log, kTicketA).subject, kErasedText);
    EXPECT_EQ(ReadTexts(*log, kTicketB).comments, std::vector<std::string>{"comment MARKER-BRAVO"});
    Hash chain{};
    Status s = log->ReadAllRaw(1, [&](const RawRecord& raw) {
      chain = ChainHash(chain, raw.envelope);
      EXPECT_EQ(chain, raw.hash) << raw.position;
      return true;
    });
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(chain, head_before);
  }
}

// Issue 10, item 12: a reader that missed the key cache and loaded the key
// before an erasure must not put it back into the cache after the erasure
// committed; otherwise every later read would open the erased text.
TEST(CryptoShredding, AReaderRacingAnErasureDoesNotCacheTheDestroyedKey) {
  test_support::TempDir dir{"log-test"};
  { WriteTwoTickets(*OpenSealed(dir.path())); }
  auto log = OpenSealed(dir.path());  // a fresh cache: the next read of A loads its key
  std::mutex mu;
  std::condition_variable changed;
  bool loaded = false, go_on = false, armed = true;
  SetFailpointHook("key_vault.loaded", [&] {
    std::unique_lock lock(mu);
    if (!armed) return;
    armed = false;
    loaded = true;
    changed.notify_all();
    changed.wait_for(lock, std::chrono::seconds(30), [&] { return go_on; });
  });
  std::thread reader([&] { (void)ReadTexts(*log, kTicketA); });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(30), [&] { return loaded; }));
  }
  // The reader holds the loaded key, between the load and the cache insert.
  Commit erase;
  erase.events.push_back(Event(kTicketA, 3, TicketErased{}, 30));
  EXPECT_TRUE(AppendOne(*log, erase).ok());
  {
    std::lock_guard lock(mu);
    go_on = true;
  }
  changed.notify_all();
  reader.join();
  SetFailpointHook("key_vault.loaded", nullptr);
  const Texts after = ReadTexts(*log, kTicketA);
  EXPECT_EQ(after.subject, kErasedText);
  EXPECT_EQ(after.comments, std::vector<std::string>{std::string(kErasedText)});
}

TEST(CryptoShredding, TheDestroyedKeyLeavesNoBytesInAnyFile) {
  test_support::TempDir dir{"log-test"};
  std::string wrapped_a, wrapped_b;
  {
    auto log = OpenSealed(dir.path());
    WriteTwoTickets(*log);
  }
  // The wrapped keys as stored, read as any program could.
  {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "events", "streams", "event_ids", "meta", "subject_keys"})
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir.path(), families, &handles, &db).ok());
    EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), handles[5], "ticket:" + kTicketA.ToString(), &wrapped_a).ok());
    EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), handles[5], "ticket:" + kTicketB.ToString(), &wrapped_b).ok());
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    delete db;
  }
  ASSERT_GT(wrapped_a.size(), 32u);
  // Only the tail of the value: unique random bytes (nonce and ciphertext).
  const std::string needle_a = wrapped_a.substr(1);
  EXPECT_TRUE(AnyFileContains(dir.path(), needle_a));  // the probe can see it while it exists
  {
    auto log = OpenSealed(dir.path());
    Commit erase;
    erase.events.push_back(Event(kTicketA, 3, TicketErased{}, 30));
    ASSERT_TRUE(AppendOne(*log, erase).ok());
    std::uint64_t unpurged = 0;
    ASSERT_TRUE(log->UnpurgedErasure(&unpurged).ok());
    EXPECT_EQ(unpurged, log->HeadPosition()) << "committed, not yet purged";
    ASSERT_TRUE(log->PurgeErasedKeys().ok());
    EXPECT_FALSE(AnyFileContains(dir.path(), needle_a));  // gone while the log is still open
    ASSERT_TRUE(log->MarkErasuresPurged(unpurged).ok());
    ASSERT_TRUE(log->UnpurgedErasure(&unpurged).ok());
    EXPECT_EQ(unpurged, 0u);
  }
  EXPECT_FALSE(AnyFileContains(dir.path(), needle_a));
  EXPECT_TRUE(AnyFileContains(dir.path(), wrapped_b.substr(1)));
}

TEST(CryptoShredding, TheMasterKeyMustMatch) {
  test_support::TempDir dir{"log-test"};
  { auto log = OpenSealed(dir.path(), 7); WriteTwoTickets(*log); }
  EventLogOptions wrong{dir.path()};
  wrong.master_key = KeyOf(8);
  std::unique_ptr<EventLog> log;
  EXPECT_EQ(EventLog::Open(wrong, &log).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(EventLog::Open(EventLogOptions{dir.path()}, &log).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(EventLog::OpenReadOnly(dir.path(), KeyOf(8), &log).code(), Status::Code::kInvalidArgument);
  // A reader without the key still reads everything but the text.
  ASSERT_TRUE(EventLog::OpenReadOnly(dir.path(), &log).ok());
  const Texts a = ReadTexts(*log, kTicketA);
  EXPECT_EQ(a.subject, kSealedText);
  EXPECT_EQ(a.comments, std::vector<std::string>{std::string(kSealedText)});
  ASSERT_TRUE(EventLog::OpenReadOnly(dir.path(), KeyOf(7), &log).ok());
  EXPECT_EQ(ReadTexts(*log, kTicketA).subject, "subject MARKER-ALPHA");
}

TEST(CryptoShredding, AlteredCiphertextIsCorruptionNotText) {
  EventToAppend e = Event(kTicketA, 1, Created(kTicketA, "X"), 10);
  v1::EventEnvelope envelope;
  ASSERT_TRUE(envelope.ParseFromString(EncodeEnvelope(e, 1)));
  auto* sealed = envelope.mutable_ticket_created()->mutable_subject()->mutable_sealed();
  sealed->set_key_id("ticket:" + kTicketA.ToString());
  sealed->set_nonce(std::string(12, 'n'));
  sealed->set_ciphertext(std::string(40, 'c'));
  struct OneKey : TextKeys {
    Found FindKey(std::string_view, DataKey* key) const override {
      key->fill(1);
      return Found::kKey;
    }
  } keys;
  RecordedEvent decoded;
  EXPECT_TRUE(DecodeEnvelope(envelope.SerializeAsString(), &decoded, &keys).IsCorruption());
}

TEST(MasterKeyFile, GeneratedOnceThenReadBack) {
  test_support::TempDir dir{"log-test"};
  const std::string file = dir.path() + "/keys/master.key";
  MasterKey first{}, second{};
  bool generated = false;
  ASSERT_TRUE(LoadMasterKey("", file, /*create=*/true, &first, &generated).ok());
  EXPECT_TRUE(generated);
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::group_all,
            std::filesystem::perms::none);
  ASSERT_TRUE(LoadMasterKey("", file, /*create=*/true, &second, &generated).ok());
  EXPECT_FALSE(generated);
  EXPECT_EQ(first, second);
  EXPECT_TRUE(LoadMasterKey("", dir.path() + "/none", false, &second, &generated).IsNotFound());
  EXPECT_EQ(LoadMasterKey("abc", file, false, &second, &generated).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(LoadMasterKey(std::string(64, 'A'), file, false, &second, &generated).ok());
  EXPECT_EQ(second, KeyOf(0xAA));
}

}  // namespace
}  // namespace ticketd::eventstore::testing

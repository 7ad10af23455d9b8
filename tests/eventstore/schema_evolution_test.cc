// Old logs stay readable: a fixture written by the first ticketd (every
// comment.added at schema_version 1) is read through the upcaster, its audit
// chain still verifies, and new events append after it at version 2.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "log_fixture.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore::testing {
namespace {

namespace fs = std::filesystem;

TEST(SchemaEvolution, AVersion1CommentIsUpcast) {
  v1::EventEnvelope envelope;
  envelope.set_event_id(TestId(1).ToString());
  envelope.set_tenant_id(TestId(2).ToString());
  envelope.set_stream_id(TestId(3).ToString());
  envelope.set_stream_version(4);
  envelope.set_position(5);
  envelope.set_schema_version(1);
  auto* comment = envelope.mutable_comment_added();
  comment->set_comment_id(TestId(6).ToString());
  comment->mutable_body()->set_plain("old style");
  comment->set_internal(true);
  RecordedEvent decoded;
  ASSERT_TRUE(DecodeEnvelope(envelope.SerializeAsString(), &decoded).ok());
  const auto& upcast = std::get<domain::CommentAdded>(decoded.event.payload);
  EXPECT_EQ(upcast.body, "old style");
  EXPECT_TRUE(upcast.internal);
  EXPECT_EQ(decoded.schema_version, 1u);
}

TEST(SchemaEvolution, TheVersion1FixtureReadsVerifiesAndGrows) {
  test_support::TempDir dir{"log-test"};
  fs::copy(TICKETD_LOG_FIXTURE, dir.path() + "/log", fs::copy_options::recursive);
  std::unique_ptr<EventLog> log;
  Status s = EventLog::Open(EventLogOptions{dir.path() + "/log"}, &log);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(log->HeadPosition(), 17u);

  std::map<std::string, int> types;
  std::vector<bool> comment_internal;
  std::vector<std::uint32_t> versions;
  ASSERT_TRUE(log->ReadAll(1,
                           [&](const RecordedEvent& e) {
                             ++types[std::string(domain::EventTypeName(e.event.payload))];
                             versions.push_back(e.schema_version);
                             if (const auto* c = std::get_if<domain::CommentAdded>(&e.event.payload))
                               comment_internal.push_back(c->internal);
                             return true;
                           })
                  .ok());
  EXPECT_EQ(types["ticket.created"], 2);
  EXPECT_EQ(types["ticket.deleted"], 1);
  EXPECT_EQ(types["comment.added"], 3);
  EXPECT_EQ(comment_internal, (std::vector<bool>{false, true, false}));
  for (auto v : versions) EXPECT_EQ(v, 1u);

  Hash previous{};
  ASSERT_TRUE(log->ReadAllRaw(1,
                              [&](const RawRecord& r) {
                                EXPECT_EQ(r.hash, ChainHash(previous, r.envelope)) << r.position;
                                previous = r.hash;
                                return true;
                              })
                  .ok());
  EXPECT_EQ(previous, log->HeadHash());

  std::vector<CommitOutcome> outcomes;
  Commit commit{{CommentEvent(TestId(77), TestId(78), 1)}};
  ASSERT_TRUE(log->AppendBatch(std::span<const Commit>(&commit, 1), &outcomes).ok());
  RecordedEvent newest;
  ASSERT_TRUE(log->ReadAll(18,
                           [&](const RecordedEvent& e) {
                             newest = e;
                             return false;
                           })
                  .ok());
  EXPECT_EQ(newest.schema_version, 2u);
  EXPECT_NE(log->HeadHash(), previous);
}

}  // namespace
}  // namespace ticketd::eventstore::testing

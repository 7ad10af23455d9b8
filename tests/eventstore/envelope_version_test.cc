// Envelope versions (events.proto): the log writes version 2 (ids as 16 raw
// bytes), reads version 1 (UUID text) through its upcaster, and gives the
// Kafka stream and `ticket-replay export` version 1, byte for byte what the
// old encoder wrote.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "log_test_util.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore::testing {
namespace {

using namespace ticketd::domain;

EventToAppend Created(const Id& actor) {
  EventToAppend e;
  e.event_id = TestId(0xAB, 0xCD);
  e.correlation_id = TestId(11);
  e.version = 1;
  e.event = DomainEvent{TestId(200), TestId(1), 1'234'567, actor,
                        TicketCreated{TestId(1), 7, "T-7", "printer", "jammed", Priority::kHigh,
                                      TicketType::kIncident, "hardware", TestId(2)}};
  return e;
}

// The version 1 encoder's envelope header, kept as test code: the five ids
// as canonical text (Id::ToString), the actor only when not nil, the
// correlation id always; everything else as version 2 has it.
std::string EncodeVersion1(const EventToAppend& e, std::uint64_t position) {
  v1::EventEnvelope envelope;
  EXPECT_TRUE(envelope.ParseFromString(EncodeEnvelope(e, position)));
  envelope.clear_event_id_raw();
  envelope.clear_tenant_id_raw();
  envelope.clear_stream_id_raw();
  envelope.clear_actor_id_raw();
  envelope.clear_correlation_id_raw();
  envelope.set_event_id(e.event_id.ToString());
  envelope.set_tenant_id(e.event.tenant_id.ToString());
  envelope.set_stream_id(e.event.stream_id.ToString());
  if (!e.event.actor_id.IsNil()) envelope.set_actor_id(e.event.actor_id.ToString());
  envelope.set_correlation_id(e.correlation_id.ToString());
  return envelope.SerializeAsString();
}

void ExpectSameEvent(const RecordedEvent& decoded, const EventToAppend& e, std::uint64_t position) {
  EXPECT_EQ(decoded.event_id, e.event_id);
  EXPECT_EQ(decoded.correlation_id, e.correlation_id);
  EXPECT_EQ(decoded.event.tenant_id, e.event.tenant_id);
  EXPECT_EQ(decoded.event.stream_id, e.event.stream_id);
  EXPECT_EQ(decoded.event.actor_id, e.event.actor_id);
  EXPECT_EQ(decoded.event.at, e.event.at);
  EXPECT_EQ(decoded.version, e.version);
  EXPECT_EQ(decoded.position, position);
  const auto& created = std::get<TicketCreated>(decoded.event.payload);
  EXPECT_EQ(created.subject, "printer");
  EXPECT_EQ(created.reporter_id, TestId(2));
}

TEST(EnvelopeVersion, Version2StoresRawIdsAndRoundTrips) {
  for (const Id& actor : {TestId(3), Id{}}) {
    const EventToAppend e = Created(actor);
    const std::string bytes = EncodeEnvelope(e, 42);
    v1::EventEnvelope stored;
    ASSERT_TRUE(stored.ParseFromString(bytes));
    EXPECT_EQ(stored.event_id_raw(), std::string(e.event_id.AsBytes()));
    EXPECT_EQ(stored.tenant_id_raw(), std::string(TestId(200).AsBytes()));
    EXPECT_EQ(stored.stream_id_raw(), std::string(TestId(1).AsBytes()));
    EXPECT_EQ(stored.correlation_id_raw(), std::string(TestId(11).AsBytes()));
    EXPECT_EQ(stored.actor_id_raw(), actor.IsNil() ? std::string() : std::string(actor.AsBytes()));
    EXPECT_TRUE(stored.event_id().empty() && stored.tenant_id().empty() && stored.stream_id().empty() &&
                stored.actor_id().empty() && stored.correlation_id().empty());
    RecordedEvent decoded;
    ASSERT_TRUE(DecodeEnvelope(bytes, &decoded).ok());
    ExpectSameEvent(decoded, e, 42);
  }
}

TEST(EnvelopeVersion, Version1IsUpcastToTheSameEvent) {
  for (const Id& actor : {TestId(3), Id{}}) {
    const EventToAppend e = Created(actor);
    RecordedEvent decoded;
    ASSERT_TRUE(DecodeEnvelope(EncodeVersion1(e, 42), &decoded).ok());
    ExpectSameEvent(decoded, e, 42);
  }
}

TEST(EnvelopeVersion, ThePublicFormIsWhatTheVersion1EncoderWrote) {
  for (const Id& actor : {TestId(3), Id{}}) {
    const EventToAppend e = Created(actor);
    const std::string version1 = EncodeVersion1(e, 42);
    std::string converted, unchanged, json_of_v2, json_of_v1;
    ASSERT_TRUE(PublicEnvelope(EncodeEnvelope(e, 42), &converted).ok());
    EXPECT_EQ(converted, version1);
    ASSERT_TRUE(PublicEnvelope(version1, &unchanged).ok());
    EXPECT_EQ(unchanged, version1);
    // `ticket-replay export` prints the same line for either version.
    ASSERT_TRUE(EnvelopeToJson(EncodeEnvelope(e, 42), &json_of_v2).ok());
    ASSERT_TRUE(EnvelopeToJson(version1, &json_of_v1).ok());
    EXPECT_EQ(json_of_v2, json_of_v1);
    EXPECT_EQ(json_of_v2.find("_raw"), std::string::npos) << json_of_v2;
  }
}

TEST(EnvelopeVersion, MalformedOrMixedIdsAreCorruption) {
  const std::vector<std::pair<const char*, std::function<void(v1::EventEnvelope*)>>> cases = {
      {"event id of 15 bytes", [](auto* e) { e->set_event_id_raw(std::string(15, 'x')); }},
      {"tenant id missing", [](auto* e) { e->clear_tenant_id_raw(); }},
      {"stream id of 17 bytes", [](auto* e) { e->set_stream_id_raw(std::string(17, 'x')); }},
      {"actor id of 1 byte", [](auto* e) { e->set_actor_id_raw("a"); }},
      {"correlation id of 36 bytes", [](auto* e) { e->set_correlation_id_raw(TestId(1).ToString()); }},
      {"a text id beside the raw ones", [](auto* e) { e->set_stream_id(TestId(1).ToString()); }},
      {"raw ids without the event id", [](auto* e) { e->clear_event_id_raw(); }},
  };
  for (const auto& [what, apply] : cases) {
    v1::EventEnvelope envelope;
    ASSERT_TRUE(envelope.ParseFromString(EncodeEnvelope(Created(TestId(3)), 42)));
    apply(&envelope);
    RecordedEvent decoded;
    std::string converted;
    EXPECT_TRUE(DecodeEnvelope(envelope.SerializeAsString(), &decoded).IsCorruption()) << what;
    EXPECT_TRUE(PublicEnvelope(envelope.SerializeAsString(), &converted).IsCorruption()) << what;
  }
}

// A log holding both versions: the chain covers the stored bytes, whichever
// version they are, so `ticket-replay verify` checks both alike.
TEST(EnvelopeVersion, ALogOfBothVersionsReadsAndItsChainVerifies) {
  test_support::TempDir dir{"log-test"};
  std::filesystem::copy(TICKETD_LOG_FIXTURE, dir.path() + "/log", std::filesystem::copy_options::recursive);
  auto log = OpenLog(dir.path() + "/log");
  ASSERT_NE(log, nullptr);
  const std::uint64_t old_head = log->HeadPosition();
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(77), TestId(78), 1)}}).ok());
  ASSERT_TRUE(AppendOne(*log, Commit{{CommentEvent(TestId(79), TestId(78), 2)}}).ok());

  std::map<std::uint64_t, bool> version2;
  Hash previous{};
  ASSERT_TRUE(log->ReadAllRaw(1, [&](const RawRecord& r) {
                    EXPECT_EQ(r.hash, ChainHash(previous, r.envelope)) << r.position;
                    previous = r.hash;
                    v1::EventEnvelope envelope;
                    EXPECT_TRUE(envelope.ParseFromString(std::string(r.envelope)));
                    version2[r.position] = !envelope.event_id_raw().empty();
                    return true;
                  }).ok());
  EXPECT_EQ(previous, log->HeadHash());
  for (const auto& [position, is_version2] : version2) EXPECT_EQ(is_version2, position > old_head) << position;

  std::uint64_t read = 0;
  ASSERT_TRUE(log->ReadAllPipelined(1, [&](const RecordedEvent& e) {
                    EXPECT_EQ(e.position, ++read);
                    return true;
                  }).ok());
  EXPECT_EQ(read, old_head + 2);
}

}  // namespace
}  // namespace ticketd::eventstore::testing

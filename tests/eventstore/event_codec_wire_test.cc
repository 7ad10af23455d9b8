// The envelope on the wire: what EncodeEnvelope writes field by field (in
// the public version 1 form), and which well-formed protobuf DecodeEnvelope
// still refuses (bad ids, unknown enum values, a missing payload).
#include <gtest/gtest.h>

#include <functional>

#include "log_fixture.h"
#include "ticketd/eventstore/event_codec.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore::testing {
namespace {

using namespace ticketd::domain;

v1::EventEnvelope Encoded(const EventPayload& payload, const Id& actor = TestId(2)) {
  EventToAppend e;
  e.event_id = TestId(0xAB, 0xCD);
  e.correlation_id = TestId(11);
  e.version = 3;
  e.event = DomainEvent{TestId(200), TestId(1), 1'234'567, actor, payload};
  // The public version 1 form (text ids) the Kafka stream carries; the log
  // stores version 2 (envelope_version_test.cc).
  std::string public_bytes;
  EXPECT_TRUE(PublicEnvelope(EncodeEnvelope(e, 42), &public_bytes).ok());
  v1::EventEnvelope envelope;
  EXPECT_TRUE(envelope.ParseFromString(public_bytes));
  return envelope;
}

TEST(EventCodecWire, EnvelopeFieldsAreCanonical) {
  v1::EventEnvelope env = Encoded(CommentAdded{TestId(6), "Grüße", true});
  EXPECT_EQ(env.event_id(), TestId(0xAB, 0xCD).ToString());
  EXPECT_EQ(env.event_id(), "abcd0000-0000-0000-0000-000000000001");  // lowercase 8-4-4-4-12
  EXPECT_EQ(env.tenant_id(), TestId(200).ToString());
  EXPECT_EQ(env.stream_id(), TestId(1).ToString());
  EXPECT_EQ(env.actor_id(), TestId(2).ToString());
  EXPECT_EQ(env.correlation_id(), TestId(11).ToString());
  EXPECT_EQ(env.stream_version(), 3);
  EXPECT_EQ(env.position(), 42u);
  EXPECT_EQ(env.occurred_at_us(), 1'234'567);
  EXPECT_EQ(env.type(), "comment.added");
  EXPECT_EQ(env.schema_version(), 2u);
  ASSERT_TRUE(env.has_comment_added_v2());
  EXPECT_EQ(env.comment_added_v2().body().plain(), "Grüße");
  EXPECT_EQ(env.comment_added_v2().visibility(), v1::VISIBILITY_INTERNAL);

  EXPECT_EQ(Encoded(AssetDeleted{TestId(4)}, Id{}).actor_id(), "");  // the platform admin
}

TEST(EventCodecWire, TicketUpdatedMarksClearedFields) {
  TicketUpdated cleared;
  cleared.due_at = Nullable<Timestamp>{};
  cleared.asset_id = Nullable<Id>{};
  const v1::EventEnvelope cleared_env = Encoded(cleared);
  const v1::TicketUpdated& c = cleared_env.ticket_updated();
  EXPECT_TRUE(c.due_at_cleared());
  EXPECT_TRUE(c.asset_id_cleared());
  EXPECT_FALSE(c.has_due_at_us());
  EXPECT_FALSE(c.has_asset_id());
  EXPECT_FALSE(c.has_subject());
  EXPECT_FALSE(c.has_priority());

  TicketUpdated set;
  set.due_at = Nullable<Timestamp>{Timestamp{0}};  // a value, even if it is the default
  set.priority = Priority::kLow;
  set.subject = "";
  const v1::EventEnvelope set_env = Encoded(set);
  const v1::TicketUpdated& s = set_env.ticket_updated();
  EXPECT_TRUE(s.has_due_at_us());
  EXPECT_FALSE(s.due_at_cleared());
  EXPECT_TRUE(s.has_priority());
  EXPECT_TRUE(s.has_subject());
  EXPECT_EQ(s.subject().value_case(), v1::PersonalText::kPlain);
}

TEST(EventCodecWire, TicketCreatedOptionalsArePresentOnlyWhenSet) {
  TicketCreated bare{TestId(1), 1, "T-1", "s", "d", Priority::kHigh, TicketType::kIncident, "c", TestId(2)};
  const v1::EventEnvelope bare_env = Encoded(bare);
  const v1::TicketCreated& b = bare_env.ticket_created();
  EXPECT_FALSE(b.has_assignee_id());
  EXPECT_FALSE(b.has_asset_id());
  EXPECT_FALSE(b.has_due_at_us());
  bare.due_at = Timestamp{0};
  EXPECT_TRUE(Encoded(bare).ticket_created().has_due_at_us());
}

// Each case breaks one thing of an otherwise valid envelope.
struct Breakage {
  const char* what;
  EventPayload payload;
  std::function<void(v1::EventEnvelope*)> apply;
};

TEST(EventCodecWire, WellFormedButWrongIsCorruption) {
  const TicketCreated created{TestId(1), 1,        "T-1", "s", "d", Priority::kHigh, TicketType::kIncident,
                              "c",       TestId(2)};
  const Ticket snapshot{.id = TestId(1), .tenant_id = TestId(200), .reporter_id = TestId(2)};
  const std::vector<Breakage> cases = {
      {"no payload", created, [](auto* e) { e->clear_ticket_created(); }},
      {"bad event id", created, [](auto* e) { e->set_event_id("not-a-uuid"); }},
      {"empty event id", created, [](auto* e) { e->clear_event_id(); }},
      {"bad tenant id", created, [](auto* e) { e->set_tenant_id("00000000-0000-0000-0000-00000000000g"); }},
      {"bad stream id", created, [](auto* e) { e->set_stream_id(std::string(36, '-')); }},
      {"bad actor id", created, [](auto* e) { e->set_actor_id("x"); }},
      {"bad correlation id", created,
       [](auto* e) { e->set_correlation_id("{" + TestId(1).ToString() + "}"); }},
      {"bad ticket id", created, [](auto* e) { e->mutable_ticket_created()->set_ticket_id("1"); }},
      {"bad assignee", created, [](auto* e) { e->mutable_ticket_created()->set_assignee_id(""); }},
      {"priority 4", created,
       [](auto* e) { e->mutable_ticket_created()->set_priority(static_cast<v1::Priority>(4)); }},
      {"priority -1", created,
       [](auto* e) { e->mutable_ticket_created()->set_priority(static_cast<v1::Priority>(-1)); }},
      {"type 2", created,
       [](auto* e) { e->mutable_ticket_created()->set_type(static_cast<v1::TicketType>(2)); }},
      {"status 6", TicketStatusChanged{},
       [](auto* e) { e->mutable_ticket_status_changed()->set_to(static_cast<v1::TicketStatus>(6)); }},
      {"role 4", UserCreated{TestId(2), "n", "e", Role::kAgent, ""},
       [](auto* e) { e->mutable_user_created()->set_role(static_cast<v1::Role>(4)); }},
      {"visibility 2", CommentAdded{TestId(6), "b", false},
       [](auto* e) { e->mutable_comment_added_v2()->set_visibility(static_cast<v1::CommentVisibility>(2)); }},
      {"token hash of 31 bytes", TokenIssued{TestId(2), {}},
       [](auto* e) { e->mutable_token_issued()->set_token_sha256(std::string(31, 'x')); }},
      {"updated priority 9", TicketUpdated{},
       [](auto* e) { e->mutable_ticket_updated()->set_priority(static_cast<v1::Priority>(9)); }},
      {"updated asset id", TicketUpdated{}, [](auto* e) { e->mutable_ticket_updated()->set_asset_id("a"); }},
      {"assignee id", TicketAssigned{}, [](auto* e) { e->mutable_ticket_assigned()->set_assignee_id("b"); }},
      {"asset id", AssetDeleted{TestId(4)}, [](auto* e) { e->mutable_asset_deleted()->set_asset_id(""); }},
      {"tenant id", TenantCreated{TestId(200), "n", "P"},
       [](auto* e) { e->mutable_tenant_created()->set_tenant_id("t"); }},
      {"snapshot status", TicketDeleted{snapshot},
       [](auto* e) {
         e->mutable_ticket_deleted()->mutable_snapshot()->set_status(static_cast<v1::TicketStatus>(77));
       }},
      {"snapshot reporter", TicketDeleted{snapshot},
       [](auto* e) { e->mutable_ticket_deleted()->mutable_snapshot()->set_reporter_id(""); }},
      {"v1 comment id", CommentAdded{TestId(6), "b", false},
       [](auto* e) {
         e->mutable_comment_added()->set_comment_id("c");  // switches the oneof to the v1 payload
         e->set_schema_version(1);
       }},
  };
  for (const Breakage& c : cases) {
    v1::EventEnvelope envelope = Encoded(c.payload);
    RecordedEvent decoded;
    ASSERT_TRUE(DecodeEnvelope(envelope.SerializeAsString(), &decoded).ok()) << c.what << " (before)";
    c.apply(&envelope);
    Status s = DecodeEnvelope(envelope.SerializeAsString(), &decoded);
    EXPECT_TRUE(s.IsCorruption()) << c.what << ": " << s.ToString();
  }
}

TEST(EventCodecWire, JsonUsesProtoFieldNamesOnOneLine) {
  EventToAppend e = CommentEvent(TestId(10), TestId(1), 1);
  std::string json;
  ASSERT_TRUE(EnvelopeToJson(EncodeEnvelope(e, 7), &json).ok());
  EXPECT_EQ(json.find('\n'), std::string::npos);
  for (const char* field : {"\"event_id\"", "\"stream_version\"", "\"occurred_at_us\"",
                            "\"comment_added_v2\"", "\"schema_version\":2", "\"type\":\"comment.added\""})
    EXPECT_NE(json.find(field), std::string::npos) << field << " in " << json;
  EXPECT_EQ(json.find("eventId"), std::string::npos);
  EXPECT_TRUE(EnvelopeToJson("\xff\xff\xff", &json).IsCorruption());
}

}  // namespace
}  // namespace ticketd::eventstore::testing

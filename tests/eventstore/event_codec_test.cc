#include "ticketd/eventstore/event_codec.h"

#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include <random>

#include "log_fixture.h"

namespace ticketd::eventstore::testing {
namespace {

using namespace ticketd::domain;

std::vector<EventPayload> EveryPayload() {
  Ticket snapshot;
  snapshot.id = TestId(1);
  snapshot.tenant_id = TestId(200);
  snapshot.number = 7;
  snapshot.number_text = "TKT-000007";
  snapshot.subject = "Drücker";
  snapshot.status = TicketStatus::kResolved;
  snapshot.assignee_id = TestId(3);
  snapshot.due_at = 123;
  snapshot.version = 4;
  TicketCreated full{TestId(1),
                     7,
                     "TKT-000007",
                     "s",
                     "d",
                     Priority::kUrgent,
                     TicketType::kServiceRequest,
                     "net",
                     TestId(2),
                     TestId(3),
                     TestId(4),
                     Timestamp{99}};
  TicketUpdated updated;
  updated.subject = "new";
  updated.priority = Priority::kLow;
  updated.due_at = Nullable<Timestamp>{};
  updated.asset_id = Nullable<Id>{TestId(5)};
  TicketUpdated cleared;
  cleared.asset_id = Nullable<Id>{};
  cleared.category = "";
  TicketUpdated due_set;
  due_set.due_at = Nullable<Timestamp>{Timestamp{5'000'000}};
  due_set.description = "";
  std::array<std::uint8_t, 32> hash{};
  hash[0] = 0xAB;
  Sha256Bytes other = hash;
  other[1] = 0xCD;
  return {TenantCreated{TestId(200), "Acme", "ACME"},
          TenantCreated{TestId(200), "Acme", "ACME", "acme-corp"},
          AccountEvent{PasswordSet{TestId(2), "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", std::nullopt}},
          AccountEvent{PasswordSet{TestId(2), "$argon2id$x", hash}},
          AccountEvent{PasswordResetIssued{TestId(2), hash, 86'400'000'000}},
          AccountEvent{SessionStarted{TestId(7), TestId(2), hash, 99}},
          AccountEvent{SessionRefreshed{TestId(7), other, 100}},
          AccountEvent{SessionRevoked{TestId(7), RevokeReason::kRefreshReuse}},
          AccountEvent{SessionRevoked{TestId(7), RevokeReason::kLogout}},
          AccountEvent{UserUpdated{TestId(2), "Ada L.", Role::kAgent, "", false}},
          AccountEvent{UserUpdated{.user_id = TestId(2), .active = true}},
          UserCreated{TestId(2), "Ada", "ada@x.io", Role::kManager, "IT"},
          TokenIssued{TestId(2), hash},
          AssetCreated{TestId(4), "Printer", "hw"},
          AssetDeleted{TestId(4)},
          full,
          TicketCreated{TestId(1), 1, "TKT-000001", "s", "", Priority::kMedium, TicketType::kIncident, "",
                        TestId(2)},
          updated,
          cleared,
          due_set,
          TicketUpdated{},
          TicketAssigned{TestId(3)},
          TicketAssigned{std::nullopt},
          TicketStatusChanged{TicketStatus::kOnHold, TicketStatus::kCancelled},
          CommentAdded{TestId(6), "body", true},
          CommentAdded{TestId(6), "", false},
          TicketDeleted{snapshot},
          TicketDeleted{Ticket{.id = TestId(1), .tenant_id = TestId(200), .reporter_id = TestId(2)}},
          TicketDeleted{Ticket{.id = TestId(1),
                               .tenant_id = TestId(200),
                               .subject = std::string(kErasedText),
                               .description = std::string(kErasedText),
                               .reporter_id = TestId(2),
                               .erased_at = Timestamp{77}}},
          UserErased{TestId(2)},
          TicketErased{},
          PermissionGroupCreated{TestId(7), "ITSM Agent", {Permission::kTicketsManage, Permission::kUsersManage}, true},
          PermissionGroupCreated{TestId(7), "Empty", {}, false},
          PermissionGroupMemberAdded{TestId(7), TestId(2)},
          PermissionGroupMemberRemoved{TestId(7), TestId(2)},
          SettingsChanged{FeatureSet{Feature::kPublicApi, Feature::kAgentPortal}},
          SettingsChanged{},
          LicenseChanged{FeatureSet{Feature::kEmailTemplates}, Quotas{{std::int64_t{3}, std::nullopt}}},
          LicenseChanged{},
          QuotaAlertRaised{Quota::kMaxAgents, 2, 2},
          ApiKeyCreated{TestId(8), "ci", ScopeSet{ApiScope::kTicketsRead, ApiScope::kMailInbound}, hash, 5'000},
          ApiKeyCreated{TestId(8), "ci", ScopeSet{ApiScope::kTicketsWrite}, hash, std::nullopt},
          ApiKeyRevoked{TestId(8)},
          ApiKeyUsage{TestId(8), 20'000, 17, 1'234}};
}

bool SamePayload(const EventPayload& a, const EventPayload& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, TicketCreated>) {
          return x.ticket_id == y.ticket_id && x.number == y.number && x.number_text == y.number_text &&
                 x.subject == y.subject && x.description == y.description && x.priority == y.priority &&
                 x.type == y.type && x.category == y.category && x.reporter_id == y.reporter_id &&
                 x.assignee_id == y.assignee_id && x.asset_id == y.asset_id && x.due_at == y.due_at;
        } else if constexpr (std::is_same_v<T, TicketUpdated>) {
          return x.subject == y.subject && x.description == y.description && x.category == y.category &&
                 x.priority == y.priority && x.due_at == y.due_at && x.asset_id == y.asset_id;
        } else if constexpr (std::is_same_v<T, TicketDeleted>) {
          return x.snapshot == y.snapshot;
        } else if constexpr (std::is_same_v<T, UserCreated>) {
          return x.user_id == y.user_id && x.name == y.name && x.email == y.email && x.role == y.role &&
                 x.department == y.department;
        } else if constexpr (std::is_same_v<T, TenantCreated>) {
          return x.tenant_id == y.tenant_id && x.name == y.name && x.ticket_prefix == y.ticket_prefix &&
                 x.slug == y.slug;
        } else if constexpr (std::is_same_v<T, AccountEvent>) {
          return x == y;
        } else if constexpr (std::is_same_v<T, TokenIssued>) {
          return x.user_id == y.user_id && x.token_sha256 == y.token_sha256;
        } else if constexpr (std::is_same_v<T, AssetCreated>) {
          return x.asset_id == y.asset_id && x.name == y.name && x.kind == y.kind;
        } else if constexpr (std::is_same_v<T, AssetDeleted>) {
          return x.asset_id == y.asset_id;
        } else if constexpr (std::is_same_v<T, TicketAssigned>) {
          return x.assignee_id == y.assignee_id;
        } else if constexpr (std::is_same_v<T, TicketStatusChanged>) {
          return x.from == y.from && x.to == y.to;
        } else if constexpr (std::is_same_v<T, UserErased>) {
          return x.user_id == y.user_id;
        } else if constexpr (std::is_same_v<T, TicketErased>) {
          return true;
        } else if constexpr (requires { x == y; }) {  // access events compare as values
          return x == y;
        } else {
          return x.comment_id == y.comment_id && x.body == y.body && x.internal == y.internal;
        }
      },
      a);
}

TEST(EventCodec, EveryPayloadRoundTrips) {
  for (const EventPayload& payload : EveryPayload()) {
    EventToAppend e;
    e.event_id = TestId(10);
    e.correlation_id = TestId(11);
    e.version = 3;
    e.event = DomainEvent{TestId(200), TestId(1), 1'234'567, TestId(2), payload};
    std::string bytes = EncodeEnvelope(e, 42);
    RecordedEvent decoded;
    ASSERT_TRUE(DecodeEnvelope(bytes, &decoded).ok()) << EventTypeName(payload);
    EXPECT_EQ(decoded.position, 42u);
    EXPECT_EQ(decoded.version, 3);
    EXPECT_EQ(decoded.event_id, TestId(10));
    EXPECT_EQ(decoded.correlation_id, TestId(11));
    EXPECT_EQ(decoded.schema_version, std::holds_alternative<CommentAdded>(payload) ? 2u : 1u);
    EXPECT_EQ(decoded.event.at, 1'234'567);
    EXPECT_EQ(decoded.event.actor_id, TestId(2));
    EXPECT_TRUE(SamePayload(decoded.event.payload, payload)) << EventTypeName(payload);
    std::string json;
    ASSERT_TRUE(EnvelopeToJson(bytes, &json).ok());
    EXPECT_NE(json.find(std::string(EventTypeName(payload))), std::string::npos);
    EXPECT_EQ(json.find('\n'), std::string::npos);
  }
}

// Protobuf logs every invalid UTF-8 string it meets; thousands of lines here.
struct QuietProtobuf {
  google::protobuf::LogHandler* previous = google::protobuf::SetLogHandler(nullptr);
  ~QuietProtobuf() { google::protobuf::SetLogHandler(previous); }
};

TEST(EventCodec, GarbageIsCorruptionNeverACrash) {
  QuietProtobuf quiet;
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  EventToAppend e = CommentEvent(TestId(10), TestId(1), 1);
  const std::string good = EncodeEnvelope(e, 1);
  RecordedEvent decoded;
  std::string json;
  EXPECT_TRUE(DecodeEnvelope("", &decoded).IsCorruption());  // no ids, no payload
  for (std::size_t length = 0; length < good.size(); ++length) {
    Status s = DecodeEnvelope(std::string_view(good).substr(0, length), &decoded);
    EXPECT_TRUE(s.IsCorruption()) << "truncated to " << length << ": " << s.ToString();
  }
  for (int i = 0; i < 20000; ++i) {
    std::string mutated = good;
    for (int flips = 1 + rng() % 4; flips > 0; --flips)
      mutated[rng() % mutated.size()] = static_cast<char>(rng());
    Status s = DecodeEnvelope(mutated, &decoded);
    EXPECT_TRUE(s.ok() || s.IsCorruption()) << s.ToString();
    std::string random(rng() % 64, '\0');
    for (char& c : random) c = static_cast<char>(rng());
    s = DecodeEnvelope(random, &decoded);
    EXPECT_TRUE(s.ok() || s.IsCorruption()) << s.ToString();
    s = EnvelopeToJson(random, &json);
    EXPECT_TRUE(s.ok() || s.IsCorruption()) << s.ToString();
  }
}

}  // namespace
}  // namespace ticketd::eventstore::testing

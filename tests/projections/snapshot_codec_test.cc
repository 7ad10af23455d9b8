// The read models' canonical serialization / snapshot decoding: a decoded
// model re-encodes to the same bytes, equal content from different histories
// encodes equally, and damaged input is refused without reading past it.
#include <gtest/gtest.h>

#include <limits>

#include "ticket_builders.h"
#include "ticketd/projections/analytics_read_model.h"
#include "ticketd/projections/comment_read_model.h"
#include "ticketd/projections/directory_read_model.h"

namespace ticketd::projections {
namespace {

using testing::kTenantA;
using testing::kTenantB;
using testing::MakeTicket;
using testing::Ptr;
using testing::Tid;

domain::DomainEvent Event(const domain::Id& tenant, const domain::Id& stream, domain::Timestamp at,
                          domain::EventPayload payload) {
  return domain::DomainEvent{tenant, stream, at, Tid(77), std::move(payload)};
}

template <class Model>
std::string Encode(const Model& model) {
  BinaryWriter out;
  model.EncodeCanonical(out);
  return out.Take();
}

// Feeds a directory, comments and analytics the same small history.
void Feed(DirectoryReadModel& directory, CommentReadModel& comments, AnalyticsReadModel& analytics) {
  for (const domain::Id& tenant : {kTenantB, kTenantA}) {  // tenants seen in reverse id order
    directory.Apply(Event(tenant, tenant, 1, domain::TenantCreated{tenant, "Acme", "ACM"}));
    directory.Apply(Event(tenant, tenant, 2, domain::UserCreated{Tid(5, tenant.bytes[0]), "Ann", "a@x", domain::Role::kAgent, "IT"}));
    domain::TokenIssued token{Tid(5, tenant.bytes[0]), {}};
    token.token_sha256[0] = tenant.bytes[0];
    directory.Apply(Event(tenant, tenant, 3, token));
    directory.Apply(Event(tenant, tenant, 4, domain::AssetCreated{Tid(6, tenant.bytes[0]), "Laptop", "hw"}));
    // Access state (groups, settings, licence, alerts, API keys) rides in the same snapshot.
    const domain::Id group = Tid(40, tenant.bytes[0]), key = Tid(41, tenant.bytes[0]);
    directory.Apply(Event(tenant, tenant, 5,
                          domain::PermissionGroupCreated{group, "ITSM Agent", {domain::Permission::kTicketsManage}, true}));
    directory.Apply(Event(tenant, tenant, 6, domain::PermissionGroupMemberAdded{group, Tid(5, tenant.bytes[0])}));
    directory.Apply(Event(tenant, tenant, 7, domain::LicenseChanged{domain::FeatureSet{domain::Feature::kPublicApi},
                                                                    domain::Quotas{{std::int64_t{3}, std::nullopt}}}));
    directory.Apply(Event(tenant, tenant, 8, domain::SettingsChanged{domain::FeatureSet{domain::Feature::kPublicApi}}));
    directory.Apply(Event(tenant, tenant, 9, domain::QuotaAlertRaised{domain::Quota::kMaxAgents, 3, 3}));
    std::array<std::uint8_t, 32> key_hash{};
    key_hash[1] = tenant.bytes[0];
    domain::DomainEvent created = Event(
        tenant, tenant, 10, domain::ApiKeyCreated{key, "ci", domain::ScopeSet{domain::ApiScope::kTicketsRead}, key_hash, 99});
    created.actor_id = Tid(5, tenant.bytes[0]);  // the key acts as its creator, who must exist
    directory.Apply(created);
    directory.Apply(Event(tenant, tenant, 11, domain::ApiKeyUsage{key, 1, 12, 11}));
  }
  domain::Ticket ticket = MakeTicket(1);
  ticket.category = "network";
  ticket.assignee_id = Tid(5);
  TicketPtr created = Ptr(ticket);
  analytics.OnTicketEvent(Event(kTenantA, ticket.id, 10'000'000, domain::TicketCreated{}), nullptr, created);
  ticket.status = domain::TicketStatus::kInProgress;
  TicketPtr working = Ptr(ticket);
  analytics.OnTicketEvent(Event(kTenantA, ticket.id, 20'000'000,
                                domain::TicketStatusChanged{domain::TicketStatus::kOpen, domain::TicketStatus::kInProgress}),
                          created, working);
  ticket.status = domain::TicketStatus::kResolved;
  analytics.OnTicketEvent(Event(kTenantA, ticket.id, 7'200'000'000,
                                domain::TicketStatusChanged{domain::TicketStatus::kInProgress, domain::TicketStatus::kResolved}),
                          working, Ptr(ticket));
  comments.Apply(Event(kTenantA, ticket.id, 30, domain::CommentAdded{Tid(8), "first", false}));
  comments.Apply(Event(kTenantA, ticket.id, 31, domain::CommentAdded{Tid(9), "second", true}));
}

TEST(SnapshotCodecTest, DecodedModelsReencodeToTheSameBytes) {
  DirectoryReadModel directory;
  CommentReadModel comments;
  AnalyticsReadModel analytics;
  Feed(directory, comments, analytics);

  DirectoryReadModel directory2;
  CommentReadModel comments2;
  AnalyticsReadModel analytics2;
  const std::string d = Encode(directory), c = Encode(comments), a = Encode(analytics);
  BinaryReader din(d), cin(c), ain(a);
  ASSERT_TRUE(directory2.DecodeSnapshot(din));
  ASSERT_TRUE(comments2.DecodeSnapshot(cin));
  ASSERT_TRUE(analytics2.DecodeSnapshot(ain));
  EXPECT_TRUE(din.AtEnd() && cin.AtEnd() && ain.AtEnd());
  EXPECT_EQ(Encode(directory2), d);
  EXPECT_EQ(Encode(comments2), c);
  EXPECT_EQ(Encode(analytics2), a);

  // And they answer like the originals.
  std::array<std::uint8_t, 32> token{};
  token[0] = kTenantA.bytes[0];
  ASSERT_TRUE(directory2.Authenticate(token).has_value());
  EXPECT_EQ(directory2.Authenticate(token)->user_id, Tid(5, kTenantA.bytes[0]));
  EXPECT_TRUE(directory2.FindAssetAnyTenant(Tid(6, kTenantB.bytes[0])).has_value());
  EXPECT_EQ(directory2.GetAccess(kTenantA), directory.GetAccess(kTenantA));
  EXPECT_TRUE(directory2.Authenticate(token)->group_permissions.Has(domain::Permission::kTicketsManage));
  std::array<std::uint8_t, 32> key_hash{};
  key_hash[1] = kTenantA.bytes[0];
  ASSERT_TRUE(directory2.AuthenticateApiKey(key_hash, 50).has_value()) << "the key table is rebuilt";
  EXPECT_FALSE(directory2.AuthenticateApiKey(key_hash, 99).has_value()) << "expired";
  EXPECT_EQ(directory2.ListAlerts().size(), 2u);
  EXPECT_EQ(comments2.List(kTenantA, MakeTicket(1).id, true).size(), 2u);
  Analytics before = analytics.Snapshot(kTenantA, 9'000'000'000, 1), after = analytics2.Snapshot(kTenantA, 9'000'000'000, 1);
  EXPECT_EQ(after.time_to_resolve.count, 1);
  EXPECT_EQ(after.time_to_resolve.mean, before.time_to_resolve.mean);
  EXPECT_EQ(after.by_status[static_cast<int>(domain::TicketStatus::kResolved)], 1);
  EXPECT_EQ(after.top_categories.size(), before.top_categories.size());
}

TEST(SnapshotCodecTest, EqualContentEncodesEquallyWhateverTheHistory) {
  CommentReadModel direct, with_deleted_ticket;
  direct.Apply(Event(kTenantA, Tid(1), 1, domain::CommentAdded{Tid(8), "kept", false}));
  with_deleted_ticket.Apply(Event(kTenantA, Tid(2), 1, domain::CommentAdded{Tid(9), "gone", false}));
  with_deleted_ticket.Apply(Event(kTenantA, Tid(1), 1, domain::CommentAdded{Tid(8), "kept", false}));
  with_deleted_ticket.Apply(Event(kTenantA, Tid(2), 2, domain::TicketDeleted{}));
  EXPECT_EQ(Encode(direct), Encode(with_deleted_ticket));
  EXPECT_EQ(Encode(direct), Encode(with_deleted_ticket));
  EXPECT_NE(Encode(direct), Encode(CommentReadModel{}));
}

// Every strict prefix of a model's bytes must be refused (and never read
// past its end: the ASan preset runs this too).
template <class Model>
void ExpectEveryCutRefused(const std::string& bytes) {
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    BinaryReader in(std::string_view(bytes).substr(0, size));
    Model model;
    EXPECT_FALSE(model.DecodeSnapshot(in) && in.AtEnd()) << "cut at " << size << " of " << bytes.size();
  }
}

TEST(SnapshotCodecTest, EveryTruncationIsRefused) {
  DirectoryReadModel directory;
  CommentReadModel comments;
  AnalyticsReadModel analytics;
  Feed(directory, comments, analytics);
  ExpectEveryCutRefused<DirectoryReadModel>(Encode(directory));
  ExpectEveryCutRefused<CommentReadModel>(Encode(comments));
  ExpectEveryCutRefused<AnalyticsReadModel>(Encode(analytics));
}

TEST(BinaryCodecTest, IntegersAndTicketsRoundTrip) {
  BinaryWriter out;
  out.I64(-5);
  out.I64(std::numeric_limits<std::int64_t>::min());
  out.U64(std::numeric_limits<std::uint64_t>::max());
  out.Double(-0.1);
  domain::Ticket ticket = MakeTicket(3);
  ticket.due_at = -7;
  ticket.asset_id = Tid(4);
  out.Ticket(ticket);
  BinaryReader in(out.str());
  std::int64_t a = 0, b = 0;
  std::uint64_t c = 0;
  double d = 0;
  domain::Ticket back;
  ASSERT_TRUE(in.I64(&a) && in.I64(&b) && in.U64(&c) && in.Double(&d) && in.Ticket(&back));
  EXPECT_EQ(a, -5);
  EXPECT_EQ(b, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(c, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(d, -0.1);
  EXPECT_EQ(back, ticket);
  EXPECT_TRUE(in.AtEnd());
  std::size_t count = 0;
  BinaryReader huge(std::string_view("\xff\xff\xff\xff\x0f", 5));
  EXPECT_FALSE(huge.Count(&count)) << "a count larger than the input is refused";
}

// due_at, closed_at and erased_at are OptionalTimestamp inside the ticket
// (8 bytes each, issue 12's RSS goal) but keep the optional's wire form:
// each time, present (including 0 and negative) or absent, round-trips.
TEST(BinaryCodecTest, TicketTimesKeepPresenceAndValue) {
  for (std::optional<domain::Timestamp> time : {std::optional<domain::Timestamp>{}, std::optional<domain::Timestamp>{0},
                                                std::optional<domain::Timestamp>{-1},
                                                std::optional<domain::Timestamp>{1'764'633'600'000'000}}) {
    domain::Ticket ticket = MakeTicket(5);
    ticket.due_at = time;
    ticket.closed_at = time;
    ticket.erased_at = time;
    BinaryWriter out;
    out.Ticket(ticket);
    BinaryReader in(out.str());
    domain::Ticket back;
    ASSERT_TRUE(in.Ticket(&back));
    EXPECT_TRUE(in.AtEnd());
    EXPECT_EQ(back, ticket);
    for (const domain::OptionalTimestamp& field : {back.due_at, back.closed_at, back.erased_at}) {
      EXPECT_EQ(field.has_value(), time.has_value());
      if (time) EXPECT_EQ(*field, *time);
    }
  }
}

}  // namespace
}  // namespace ticketd::projections

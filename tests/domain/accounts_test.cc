// Sign-in rules and deciders: slugs, email folding, the role -> permission
// table, and sessions given events / when command / then events.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "ticketd/domain/accounts.h"
#include "ticketd/domain/directory.h"

namespace ticketd::domain::testing {
namespace {

constexpr Id kUser = MakeId(7);
constexpr Id kSession = MakeId(8);
constexpr Timestamp kNow = 1'000'000'000;

Sha256Bytes Hash(std::uint8_t tag) {
  Sha256Bytes h{};
  h[0] = tag;
  return h;
}

// A tenant with one active agent who has a password.
TenantState TenantWithUser() {
  TenantState state = InitialTenantState();
  const Actor& platform = TheActors().platform;
  auto apply = [&](EventPayload payload) {
    state = EvolveTenant(std::move(state), DomainEvent{kTenant, kTenant, kNow, platform.user_id, std::move(payload)});
  };
  apply(TenantCreated{kTenant, "Acme", "TKT", "acme"});
  apply(UserCreated{kUser, "Ann", "ann@example.com", Role::kAgent, ""});
  apply(AccountEvent{PasswordSet{kUser, "$argon2id$hash", std::nullopt}});
  return state;
}

// By reference, like directory_test.cc's: see there.
TenantState Apply(TenantState&& state, const std::vector<DomainEvent>& events) {
  for (const DomainEvent& e : events) state = EvolveTenant(std::move(state), e);
  return state;
}

std::vector<DomainEvent> Decided(const TenantState& state, DirectoryCommand command) {
  auto result = DecideDirectory(state, command, DirectoryContext{});
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : std::vector<DomainEvent>{};
}

ErrorCode Refused(const TenantState& state, DirectoryCommand command) {
  auto result = DecideDirectory(state, command, DirectoryContext{});
  EXPECT_FALSE(result.ok());
  return result.ok() ? ErrorCode::kValidation : result.error().code;
}

template <class Event>
const Event* Only(const std::vector<DomainEvent>& events) {
  if (events.size() != 1) return nullptr;
  const auto* account = std::get_if<AccountEvent>(&events[0].payload);
  return account ? std::get_if<Event>(account) : nullptr;
}

TenantState WithSession(TenantState state) {
  return Apply(std::move(state), Decided(state, StartSession{.at = kNow, .tenant_id = kTenant, .user_id = kUser,
                                                              .session_id = kSession,
                                                              .verified_hash = "$argon2id$hash",
                                                              .refresh_sha256 = Hash(1)}));
}

RefreshSession Refresh(std::uint8_t presented, std::uint8_t fresh, Timestamp at = kNow) {
  return RefreshSession{.at = at, .tenant_id = kTenant, .presented_sha256 = Hash(presented),
                        .refresh_sha256 = Hash(fresh)};
}

TEST(Slug, DerivedFromTheName) {
  EXPECT_EQ(DeriveSlug("Acme Corp"), "acme-corp");
  EXPECT_EQ(DeriveSlug("  --Acme__Corp!!  "), "acme-corp");
  EXPECT_EQ(DeriveSlug("IT & Facilities 2"), "it-facilities-2");
  EXPECT_EQ(DeriveSlug("Ünïcode"), "n-code");
  EXPECT_EQ(DeriveSlug("!"), "");
  EXPECT_EQ(DeriveSlug("x"), "x");
  EXPECT_EQ(DeriveSlug(std::string(39, 'a') + " b"), std::string(39, 'a')) << "cut at 40, then trimmed";
  EXPECT_EQ(DeriveSlug(std::string(50, 'z')), std::string(40, 'z'));
}

TEST(Slug, Validity) {
  for (const char* ok : {"ab", "acme-corp", "a1"}) EXPECT_TRUE(IsValidSlug(ok)) << ok;
  EXPECT_TRUE(IsValidSlug(std::string(40, 'a')));
  for (const char* bad : {"", "a", "Acme", "a_b", "a b", "ä-b"}) EXPECT_FALSE(IsValidSlug(bad)) << bad;
  EXPECT_FALSE(IsValidSlug(std::string(41, 'a')));
}

TEST(Email, NormalizedForLogin) {
  EXPECT_EQ(NormalizeEmail("  Ann@Example.COM\t\n"), "ann@example.com");
  EXPECT_NE(NormalizeEmail("\xD0\xB0nn@example.com"), "ann@example.com") << "a Cyrillic a stays itself";
}

TEST(Tenant, SlugMustBeValidAndFree) {
  CreateTenant command{.actor = TheActors().platform, .at = kNow, .tenant_id = kTenant, .name = "Acme", .slug = "a"};
  auto bad = DecideDirectory(InitialTenantState(), command, DirectoryContext{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "slug");
  command.slug = "acme";
  DirectoryContext taken;
  taken.slug_taken = true;
  auto clash = DecideDirectory(InitialTenantState(), command, taken);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::kSlugTaken);
}

TEST(Session, RefreshRotatesThenReuseRevokes) {
  TenantState state = WithSession(TenantWithUser());
  std::vector<DomainEvent> rotated = Decided(state, Refresh(1, 2));
  ASSERT_NE(Only<SessionRefreshed>(rotated), nullptr);
  state = Apply(std::move(state), rotated);
  EXPECT_EQ(state.accounts.sessions.at(kSession).refresh_sha256, Hash(2));

  std::vector<DomainEvent> reused = Decided(state, Refresh(1, 3));
  const SessionRevoked* revoked = Only<SessionRevoked>(reused);
  ASSERT_NE(revoked, nullptr);
  EXPECT_EQ(revoked->reason, RevokeReason::kRefreshReuse);
  state = Apply(std::move(state), reused);
  EXPECT_TRUE(state.accounts.sessions.empty());
  EXPECT_TRUE(state.accounts.refresh_owner.empty()) << "a revoked session leaves nothing behind";
  EXPECT_EQ(Refused(state, Refresh(2, 4)), ErrorCode::kInvalidRefreshToken);
}

TEST(Session, ExpiredOrUnknownRefreshIsRefused) {
  TenantState state = WithSession(TenantWithUser());
  EXPECT_EQ(Refused(state, Refresh(9, 2)), ErrorCode::kInvalidRefreshToken);
  EXPECT_EQ(Refused(state, Refresh(1, 2, kNow + kRefreshTokenLifetime)), ErrorCode::kInvalidRefreshToken);
}

TEST(Session, LoginFailsWhenThePasswordChangedMeanwhile) {
  TenantState state = TenantWithUser();
  EXPECT_EQ(Refused(state, StartSession{.at = kNow, .tenant_id = kTenant, .user_id = kUser, .session_id = kSession,
                                        .verified_hash = "$argon2id$old"}),
            ErrorCode::kInvalidCredentials);
}

TEST(Session, DeactivationRevokesEverySessionOfTheUser) {
  TenantState state = WithSession(TenantWithUser());
  state = Apply(std::move(state), Decided(state, UpdateUser{.actor = TheActors().platform, .at = kNow,
                                                            .tenant_id = kTenant, .user_id = kUser, .active = false}));
  EXPECT_FALSE(state.users.at(kUser).active);
  EXPECT_TRUE(state.accounts.sessions.empty());
  EXPECT_EQ(Refused(state, Refresh(1, 2)), ErrorCode::kInvalidRefreshToken);
}

TEST(Session, AUserKeepsAtMostTheNewestSessions) {
  TenantState state = TenantWithUser();
  for (std::size_t i = 0; i < kMaxSessionsPerUser + 5; ++i) {
    Id session = MakeId(static_cast<std::uint8_t>(i), 9);
    state = Apply(std::move(state), Decided(state, StartSession{.at = kNow, .tenant_id = kTenant, .user_id = kUser,
                                                                .session_id = session,
                                                                .verified_hash = "$argon2id$hash",
                                                                .refresh_sha256 = Hash(static_cast<std::uint8_t>(i))}));
  }
  EXPECT_EQ(state.accounts.sessions.size(), kMaxSessionsPerUser);
  EXPECT_FALSE(state.accounts.sessions.contains(MakeId(0, 9))) << "the oldest went first";
}

TEST(PasswordReset, IsSingleUseAndNeedsUsersManage) {
  TenantState state = TenantWithUser();
  EXPECT_EQ(Refused(state, IssuePasswordReset{.actor = TheActors().agent, .at = kNow, .tenant_id = kTenant,
                                              .user_id = kUser, .reset_sha256 = Hash(5)}),
            ErrorCode::kForbidden);
  state = Apply(std::move(state), Decided(state, IssuePasswordReset{.actor = TheActors().admin, .at = kNow,
                                                                    .tenant_id = kTenant, .user_id = kUser,
                                                                    .reset_sha256 = Hash(5)}));
  ResetPassword reset{.at = kNow + 1, .tenant_id = kTenant, .reset_sha256 = Hash(5), .password_hash = "$new"};
  state = Apply(std::move(state), Decided(state, reset));
  EXPECT_EQ(state.accounts.password_hash.at(kUser), "$new");
  EXPECT_EQ(Refused(state, reset), ErrorCode::kInvalidResetToken) << "spent";
}

TEST(PasswordReset, ExpiresAfter24Hours) {
  TenantState state = TenantWithUser();
  state = Apply(std::move(state), Decided(state, IssuePasswordReset{.actor = TheActors().admin, .at = kNow,
                                                                    .tenant_id = kTenant, .user_id = kUser,
                                                                    .reset_sha256 = Hash(5)}));
  EXPECT_EQ(Refused(state, ResetPassword{.at = kNow + kResetTokenLifetime, .tenant_id = kTenant,
                                         .reset_sha256 = Hash(5), .password_hash = "$new"}),
            ErrorCode::kInvalidResetToken);
}

}  // namespace
}  // namespace ticketd::domain::testing

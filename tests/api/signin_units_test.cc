// The sign-in building blocks without a server: JWT signing and checking,
// the key file, the lockout guard, the opaque token format and Argon2id.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "ticketd/base/encoding.h"
#include "jwt.h"
#include "login_guard.h"
#include "password_pool.h"
#include "signin.h"

namespace ticketd::api {
namespace {

domain::Id TestId(std::uint8_t tag) {
  domain::Id id{};
  id.bytes[15] = tag;
  id.bytes[6] = 0x40;
  id.bytes[8] = 0x80;
  return id;
}

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("jwt-test-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(JwtKeys::Open(dir_.string(), &keys_).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  AccessClaims Claims(std::int64_t exp = 2000) { return {TestId(1), TestId(2), TestId(3), TestId(4), 1000, exp}; }

  std::filesystem::path dir_;
  std::unique_ptr<JwtKeys> keys_;
};

TEST_F(JwtTest, SignedClaimsComeBackUntilTheyExpire) {
  std::string token = keys_->Sign(Claims());
  EXPECT_TRUE(LooksLikeJwt(token));
  auto claims = keys_->Verify(token, 1999);
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->user_id, TestId(1));
  EXPECT_EQ(claims->tenant_id, TestId(2));
  EXPECT_EQ(claims->session_id, TestId(3));
  EXPECT_FALSE(keys_->Verify(token, 2000).has_value()) << "exp is exclusive";
  EXPECT_TRUE(keys_->Verify(token, 1999).has_value()) << "the cache does not outlive exp checks";
  EXPECT_FALSE(keys_->Verify(token, 5000).has_value());
}

TEST_F(JwtTest, AnyChangedByteIsRefused) {
  const std::string token = keys_->Sign(Claims());
  for (std::size_t i = 0; i < token.size(); i += 7) {
    std::string changed = token;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    if (changed == token) continue;
    EXPECT_FALSE(keys_->Verify(changed, 1500).has_value()) << "byte " << i;
  }
  const std::size_t dot = token.find('.');
  EXPECT_FALSE(keys_->Verify(Base64UrlEncode(R"({"alg":"none"})") + token.substr(dot), 1500).has_value());
  EXPECT_FALSE(keys_->Verify(token + ".x", 1500).has_value());
  EXPECT_FALSE(keys_->Verify("", 1500).has_value());
}

TEST_F(JwtTest, TheKeyFileIsPrivateAndReusedAndAnotherKeyIsRefused) {
  const auto path = dir_ / "jwt-ed25519.pem";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::unique_ptr<JwtKeys> reopened;
  ASSERT_TRUE(JwtKeys::Open(dir_.string(), &reopened).ok());
  EXPECT_EQ(reopened->JwksJson(), keys_->JwksJson());
  EXPECT_TRUE(reopened->Verify(keys_->Sign(Claims()), 1500).has_value());

  const auto other_dir = dir_ / "other";
  std::filesystem::create_directories(other_dir);
  std::unique_ptr<JwtKeys> other;
  ASSERT_TRUE(JwtKeys::Open(other_dir.string(), &other).ok());
  EXPECT_FALSE(other->Verify(keys_->Sign(Claims()), 1500).has_value());
}

TEST(LoginGuard, FiveFailuresLockUntilTheWindowPasses) {
  LoginGuard guard;
  const auto start = LoginGuard::Clock::now();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(guard.Begin("acme\nann", start), 0);
    guard.Finish("acme\nann", start, false);
  }
  int retry = guard.Begin("acme\nann", start + std::chrono::seconds(60));
  EXPECT_GE(retry, 840);
  EXPECT_LE(retry, 841);
  EXPECT_EQ(guard.Begin("acme\nbob", start), 0) << "per account";
  EXPECT_EQ(guard.Begin("acme\nann", start + LoginGuard::kWindow), 0) << "the window passed";
}

TEST(LoginGuard, AttemptsInFlightCountAndSuccessClears) {
  LoginGuard guard;
  const auto now = LoginGuard::Clock::now();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(guard.Begin("k", now), 0);
  EXPECT_GT(guard.Begin("k", now), 0) << "a sixth parallel guess waits";
  guard.Finish("k", now, true);
  for (int i = 0; i < 4; ++i) guard.Cancel("k");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(guard.Begin("k", now), 0) << i;
}

TEST(TenantTokens, CarryTheTenantAndNothingElseParses) {
  const std::string token = NewTenantToken(kRefreshTokenPrefix, TestId(9));
  EXPECT_EQ(TenantOfToken(kRefreshTokenPrefix, token), TestId(9));
  EXPECT_FALSE(TenantOfToken(kResetTokenPrefix, token).has_value()) << "another kind";
  EXPECT_FALSE(TenantOfToken(kRefreshTokenPrefix, token.substr(0, token.size() - 2)).has_value());
  EXPECT_FALSE(TenantOfToken(kRefreshTokenPrefix, "tkr_!!!").has_value());
  EXPECT_NE(NewTenantToken(kRefreshTokenPrefix, TestId(9)), token) << "random secret";
}

TEST(Passwords, Argon2idHashesVerifyAndNeverContainThePassword) {
  const std::string hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "x"));
  EXPECT_FALSE(VerifyPassword(DummyPasswordHash(), ""));
}

TEST(PasswordPool, RefusesPastItsQueue) {
  PasswordPool pool(1, 1, "test-pool");
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> ran = 0;
  ASSERT_TRUE(pool.TrySubmit([&] {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return release; });
    ++ran;
  }));
  // The worker may not have taken the first job yet: fill the one queue slot.
  bool queued = pool.TrySubmit([&] { ++ran; });
  bool third = pool.TrySubmit([&] { ++ran; });
  EXPECT_FALSE(queued && third) << "a queue of 1 took two waiting jobs";
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  pool.Stop();
  EXPECT_EQ(ran.load(), 1 + (queued ? 1 : 0) + (third ? 1 : 0));
}

}  // namespace
}  // namespace ticketd::api

// End to end: ACCESS.md's tenant slugs, passwords, sessions and users
// against the real binary: login by slug or id, one answer for every failed
// sign-in, lockout, refresh rotation with reuse detection, logout,
// deactivation, password change and reset, and tampered JWTs.
#include <openssl/evp.h>

#include <string>

#include "signin_fixture.h"

namespace ticketd::integration {
namespace {

std::string B64Url(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3F]);
  return out;
}

// header.payload signed by a fresh Ed25519 key that the server never saw.
std::string SignWithStrangerKey(const std::string& signing_input) {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  EVP_PKEY_keygen_init(ctx);
  EVP_PKEY_keygen(ctx, &key);
  EVP_PKEY_CTX_free(ctx);
  unsigned char signature[64];
  std::size_t length = sizeof signature;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  EVP_DigestSignInit(md, nullptr, nullptr, nullptr, key);
  EVP_DigestSign(md, signature, &length, reinterpret_cast<const unsigned char*>(signing_input.data()),
                 signing_input.size());
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  return signing_input + "." + B64Url(std::string_view(reinterpret_cast<const char*>(signature), length));
}

class SignInTest : public SharedServerTest {
 protected:
  void SetUp() override {
    SharedServerTest::SetUp();
    if (HasFatalFailure()) return;
    slug_ = "org-" + std::to_string(++counter_) + "-" + std::to_string(::getpid());
    HttpResponse created =
        Post(kAdminToken, "/api/v1/tenants", R"({"name":"Org )" + slug_ + R"(","slug":)" + JsonQuote(slug_) + "}");
    ASSERT_TRUE(HasStatus(created, 201));
    tenant_id_ = GetString(Json(created.body).root(), "id");
    admin_ = CreateUserWithPassword(http(), tenant_id_, "boss@example.com", "admin");
    ann_ = CreateUserWithPassword(http(), tenant_id_, "Ann@Example.com", "agent");
  }
  HttpResponse Me(std::string_view token) { return WithBearer(http(), "GET", token, "/api/v1/users/me"); }

  static inline int counter_ = 0;
  std::string slug_, tenant_id_;
  User admin_, ann_;
};

TEST_F(SignInTest, SlugIsDerivedFromTheNameAndUniqueOnThePlatform) {
  const std::string name = "Ünïcode   Corp!! " + std::to_string(::getpid());
  HttpResponse first = Post(kAdminToken, "/api/v1/tenants", R"({"name":)" + JsonQuote(name) + "}");
  ASSERT_TRUE(HasStatus(first, 201));
  EXPECT_EQ(GetString(Json(first.body).root(), "slug"), "n-code-corp-" + std::to_string(::getpid()));
  EXPECT_TRUE(IsError(Post(kAdminToken, "/api/v1/tenants", R"({"name":)" + JsonQuote(name) + "}"), 409, "SLUG_TAKEN"));
  EXPECT_TRUE(IsError(Post(kAdminToken, "/api/v1/tenants", R"({"name":"Other","slug":)" + JsonQuote(slug_) + "}"),
                      409, "SLUG_TAKEN"));
  HttpResponse short_name = Post(kAdminToken, "/api/v1/tenants", R"({"name":"!x!"})");
  EXPECT_TRUE(IsError(short_name, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(GetString(Json(short_name.body).root(), "error.details.field"), "slug");
  for (const char* bad : {"Upper", "a", "under_score", "-", "with space"}) {
    HttpResponse r = Post(kAdminToken, "/api/v1/tenants", R"({"name":"Fine name","slug":)" + JsonQuote(bad) + "}");
    EXPECT_TRUE(IsError(r, 400, "VALIDATION_ERROR")) << bad;
    EXPECT_EQ(GetString(Json(r.body).root(), "error.details.field"), "slug") << bad;
  }
  std::string long_name(60, 'a');
  HttpResponse cut = Post(kAdminToken, "/api/v1/tenants", R"({"name":")" + long_name + "-b" + std::to_string(::getpid()) + "\"}");
  ASSERT_TRUE(HasStatus(cut, 201));
  EXPECT_EQ(GetString(Json(cut.body).root(), "slug"), std::string(40, 'a'));
}

TEST_F(SignInTest, LoginBySlugOrIdGivesAWorkingAccessTokenAndTheUser) {
  HttpResponse by_slug = Login(http(), slug_, "ann@example.com");
  ASSERT_TRUE(HasStatus(by_slug, 200));
  Json json(by_slug.body);
  EXPECT_EQ(GetString(json.root(), "token_type"), "Bearer");
  EXPECT_EQ(GetInt(json.root(), "expires_in"), 900);
  EXPECT_EQ(GetString(json.root(), "user.id"), ann_.id);
  EXPECT_EQ(GetString(json.root(), "user.tenant_id"), tenant_id_);
  EXPECT_EQ(GetString(json.root(), "user.role"), "agent");
  EXPECT_EQ(GetStrings(json.root(), "user.permissions"),
            (std::vector<std::string>{"tickets:create", "tickets:manage", "tickets:close", "tickets:read_all",
                                      "tickets:prioritize", "reports:read"}));
  const std::string access = GetString(json.root(), "access_token");
  EXPECT_EQ(std::count(access.begin(), access.end(), '.'), 2) << access;
  HttpResponse me = Me(access);
  ASSERT_TRUE(HasStatus(me, 200));
  EXPECT_EQ(GetString(Json(me.body).root(), "id"), ann_.id);
  EXPECT_EQ(GetBool(Json(me.body).root(), "active"), true);
  HttpResponse ticket = WithBearer(http(), "POST", access, "/api/v1/tickets", R"({"subject":"s","description":"d"})");
  EXPECT_TRUE(HasStatus(ticket, 201));
  EXPECT_EQ(GetString(Json(ticket.body).root(), "reporter_id"), ann_.id);
  EXPECT_TRUE(HasStatus(Login(http(), tenant_id_, "ann@example.com"), 200)) << "tenant by id";
  EXPECT_TRUE(HasStatus(Login(http(), slug_, "  ANN@EXAMPLE.COM "), 200)) << "trimmed, case-folded email";
}

TEST_F(SignInTest, EveryFailedSignInGetsTheSameAnswer) {
  ASSERT_TRUE(HasStatus(Patch(admin_.token, "/api/v1/users/" + ann_.id, R"({"active":false})"), 200));
  User nopass = CreateUser(Tenant{tenant_id_, "", admin_}, "reporter");
  struct Case {
    const char* what;
    std::string tenant, email, password;
  } cases[] = {
      {"wrong password", slug_, "boss@example.com", "not the password at all"},
      {"unknown email", slug_, "nobody@example.com", kPassword},
      {"unknown tenant", "no-such-tenant", "boss@example.com", kPassword},
      {"deactivated user", slug_, "ann@example.com", kPassword},
      {"user without a password", slug_, nopass.email, kPassword},
      {"Cyrillic look-alike", slug_, "b\xD0\xBEss@example.com", kPassword},
      {"look-alike domain", slug_, "boss@examp1e.com", kPassword},
  };
  std::string first_body;
  for (const Case& c : cases) {
    HttpResponse r = Login(http(), c.tenant, c.email, c.password);
    EXPECT_TRUE(IsError(r, 401, "INVALID_CREDENTIALS")) << c.what;
    if (first_body.empty()) first_body = r.body;
    EXPECT_EQ(r.body, first_body) << c.what << ": the answer must not tell the cases apart";
  }
}

TEST_F(SignInTest, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(IsError(Login(http(), slug_, "boss@example.com", "wrong password " + std::to_string(i)), 401,
                        "INVALID_CREDENTIALS"));
  HttpResponse locked = Login(http(), slug_, "boss@example.com");
  EXPECT_TRUE(IsError(locked, 429, "TOO_MANY_ATTEMPTS"));
  int retry_after = std::atoi(locked.Header("Retry-After").c_str());
  EXPECT_GT(retry_after, 800);
  EXPECT_LE(retry_after, 901);
  EXPECT_TRUE(HasStatus(Login(http(), slug_, "ann@example.com"), 200)) << "other accounts are not locked";
}

TEST_F(SignInTest, PasswordsOutsideTenTo256CharactersAreRefused) {
  std::string megabyte(1 << 20, 'p');
  HttpResponse huge = Login(http(), slug_, "boss@example.com", megabyte);
  EXPECT_TRUE(huge.status == 400 || huge.status == 413) << huge.status << " " << huge.body.substr(0, 200);
  HttpResponse long_login = Login(http(), slug_, "boss@example.com", std::string(257, 'p'));
  EXPECT_TRUE(IsError(long_login, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(GetString(Json(long_login.body).root(), "error.details.field"), "password");
  for (std::string password : {std::string(9, 'p'), std::string(257, 'p')}) {
    HttpResponse r = Post(kAdminToken, "/api/v1/tenants/" + tenant_id_ + "/users",
                          R"({"name":"X","email":"x)" + std::to_string(password.size()) +
                              R"(@example.com","role":"reporter","password":")" + password + "\"}");
    EXPECT_TRUE(IsError(r, 400, "VALIDATION_ERROR")) << password.size();
    EXPECT_EQ(GetString(Json(r.body).root(), "error.details.field"), "password");
  }
  EXPECT_TRUE(HasStatus(Login(http(), slug_, "boss@example.com"), 200));
}

TEST_F(SignInTest, RefreshRotatesAndASpentTokenRevokesOnlyItsSession) {
  SignedIn first = MustLogin(http(), slug_, "ann@example.com");
  SignedIn other = MustLogin(http(), slug_, "ann@example.com");
  HttpResponse rotated = Refresh(http(), first.refresh);
  ASSERT_TRUE(HasStatus(rotated, 200));
  Json json(rotated.body);
  SignedIn second{GetString(json.root(), "access_token"), GetString(json.root(), "refresh_token")};
  EXPECT_NE(second.refresh, first.refresh);
  EXPECT_TRUE(HasStatus(Me(second.access), 200));
  EXPECT_TRUE(HasStatus(Me(first.access), 200)) << "an earlier access token of a live session still works";

  EXPECT_TRUE(IsError(Refresh(http(), first.refresh), 401, "INVALID_REFRESH_TOKEN")) << "reuse";
  EXPECT_TRUE(IsError(Refresh(http(), second.refresh), 401, "INVALID_REFRESH_TOKEN")) << "session revoked";
  EXPECT_TRUE(IsError(Me(second.access), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Me(first.access), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(HasStatus(Me(other.access), 200)) << "the user's other session is untouched";
  EXPECT_TRUE(HasStatus(Refresh(http(), other.refresh), 200));
  EXPECT_TRUE(IsError(Refresh(http(), "tkr_unknown"), 401, "INVALID_REFRESH_TOKEN"));
  EXPECT_TRUE(IsError(Refresh(http(), other.refresh + "x"), 401, "INVALID_REFRESH_TOKEN"));
}

TEST_F(SignInTest, LogoutEndsTheSession) {
  SignedIn session = MustLogin(http(), slug_, "ann@example.com");
  EXPECT_TRUE(HasStatus(WithBearer(http(), "POST", session.access, "/api/v1/auth/logout"), 204));
  EXPECT_TRUE(IsError(Me(session.access), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Refresh(http(), session.refresh), 401, "INVALID_REFRESH_TOKEN"));
  EXPECT_TRUE(IsError(WithBearer(http(), "POST", session.access, "/api/v1/auth/logout"), 401, "UNAUTHENTICATED"));
}

TEST_F(SignInTest, TamperedTokensAreRefused) {
  SignedIn session = MustLogin(http(), slug_, "ann@example.com");
  const std::string& token = session.access;
  const std::size_t dot1 = token.find('.'), dot2 = token.rfind('.');
  const std::string header = token.substr(0, dot1), payload = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string admin_id = admin_.id;
  std::string claims = R"({"sub":")" + admin_id + R"(","tid":")" + tenant_id_ + R"(","sid":"00000000-0000-4000-8000-000000000000","jti":"00000000-0000-4000-8000-000000000001","iat":1,"exp":4102444800})";
  const std::string none_header = B64Url(R"({"alg":"none","typ":"JWT"})");
  const std::string hs_header = B64Url(R"({"alg":"HS256","typ":"JWT"})");
  const std::string forged_payload = B64Url(claims);
  struct Case {
    const char* what;
    std::string token;
  } cases[] = {
      {"alg none, empty signature", none_header + "." + payload + "."},
      {"alg none, forged claims", none_header + "." + forged_payload + "."},
      {"alg HS256", hs_header + "." + payload + "." + token.substr(dot2 + 1)},
      {"changed payload", header + "." + forged_payload + "." + token.substr(dot2 + 1)},
      {"wrong key", SignWithStrangerKey(header + "." + payload)},
      {"truncated", token.substr(0, token.size() - 5)},
      {"signature cut off", token.substr(0, dot2 + 1)},
      {"two parts", header + "." + payload},
      {"garbage", "a.b.c"},
  };
  for (const Case& c : cases) EXPECT_TRUE(IsError(Me(c.token), 401, "UNAUTHENTICATED")) << c.what;
  EXPECT_TRUE(HasStatus(Me(token), 200)) << "the original still works";
}

TEST_F(SignInTest, DeactivationStopsEveryCredentialAndReactivationOnlyLogin) {
  SignedIn session = MustLogin(http(), slug_, "ann@example.com");
  HttpResponse patched = Patch(admin_.token, "/api/v1/users/" + ann_.id, R"({"active":false})");
  ASSERT_TRUE(HasStatus(patched, 200));
  EXPECT_EQ(GetBool(Json(patched.body).root(), "active"), false);
  EXPECT_TRUE(IsError(Me(session.access), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(IsError(Get(ann_.token, "/api/v1/tickets"), 401, "UNAUTHENTICATED")) << "the tkd_ token too";
  EXPECT_TRUE(IsError(Refresh(http(), session.refresh), 401, "INVALID_REFRESH_TOKEN"));
  EXPECT_TRUE(IsError(Login(http(), slug_, "ann@example.com"), 401, "INVALID_CREDENTIALS"));

  ASSERT_TRUE(HasStatus(Patch(admin_.token, "/api/v1/users/" + ann_.id, R"({"active":true})"), 200));
  EXPECT_TRUE(IsError(Refresh(http(), session.refresh), 401, "INVALID_REFRESH_TOKEN")) << "old sessions stay revoked";
  EXPECT_TRUE(IsError(Me(session.access), 401, "UNAUTHENTICATED"));
  EXPECT_TRUE(HasStatus(Login(http(), slug_, "ann@example.com"), 200));
}

TEST_F(SignInTest, PatchUserChangesRoleAndNeedsUsersManage) {
  HttpResponse patched = Patch(admin_.token, "/api/v1/users/" + ann_.id,
                               R"({"name":"Ann B.","role":"manager","department":"Finance"})");
  ASSERT_TRUE(HasStatus(patched, 200));
  Json json(patched.body);
  EXPECT_EQ(GetString(json.root(), "name"), "Ann B.");
  EXPECT_EQ(GetString(json.root(), "role"), "manager");
  EXPECT_EQ(GetString(json.root(), "department"), "Finance");
  SignedIn session = MustLogin(http(), slug_, "ann@example.com");
  HttpResponse me = Me(session.access);
  EXPECT_EQ(GetStrings(Json(me.body).root(), "permissions"),
            (std::vector<std::string>{"tickets:create", "tickets:read_all", "tickets:prioritize", "reports:read"}));
  EXPECT_TRUE(IsError(Patch(ann_.token, "/api/v1/users/" + admin_.id, R"({"role":"reporter"})"), 403, "FORBIDDEN"));
  EXPECT_TRUE(IsError(Patch(admin_.token, "/api/v1/users/" + ann_.id, R"({"role":"boss"})"), 400, "VALIDATION_ERROR"));
  EXPECT_TRUE(IsError(Patch(admin_.token, "/api/v1/users/" + ann_.id, R"({"email":"x@y.z"})"), 400, "VALIDATION_ERROR"));
  Tenant other = CreateTenant();
  EXPECT_TRUE(IsError(Patch(other.admin.token, "/api/v1/users/" + ann_.id, R"({"role":"reporter"})"), 404, "NOT_FOUND"));
}

TEST_F(SignInTest, PasswordChangeNeedsTheCurrentOne) {
  SignedIn session = MustLogin(http(), slug_, "ann@example.com");
  const std::string path = "/api/v1/users/me/password";
  HttpResponse missing = WithBearer(http(), "PUT", session.access, path, R"({"new_password":"a brand new secret"})");
  EXPECT_TRUE(IsError(missing, 400, "VALIDATION_ERROR"));
  EXPECT_EQ(GetString(Json(missing.body).root(), "error.details.field"), "current_password");
  EXPECT_TRUE(IsError(WithBearer(http(), "PUT", session.access, path,
                                 R"({"current_password":"not it at all","new_password":"a brand new secret"})"),
                      401, "INVALID_CREDENTIALS"));
  EXPECT_TRUE(HasStatus(WithBearer(http(), "PUT", session.access, path,
                                   R"({"current_password":)" + JsonQuote(kPassword) +
                                       R"(,"new_password":"a brand new secret"})"),
                        204));
  EXPECT_TRUE(IsError(Login(http(), slug_, "ann@example.com"), 401, "INVALID_CREDENTIALS"));
  EXPECT_TRUE(HasStatus(Login(http(), slug_, "ann@example.com", "a brand new secret"), 200));
}

TEST_F(SignInTest, ResetTokenIsSingleUse) {
  SignedIn session = MustLogin(http(), slug_, "ann@example.com");
  EXPECT_TRUE(IsError(Post(ann_.token, "/api/v1/users/" + admin_.id + "/password-reset", ""), 403, "FORBIDDEN"));
  HttpResponse issued = Post(admin_.token, "/api/v1/users/" + ann_.id + "/password-reset", "");
  ASSERT_TRUE(HasStatus(issued, 201));
  const std::string reset = GetString(Json(issued.body).root(), "reset_token");
  EXPECT_FALSE(GetString(Json(issued.body).root(), "expires_at").empty());
  const std::string body = R"({"reset_token":)" + JsonQuote(reset) + R"(,"new_password":"reset to this one"})";
  EXPECT_TRUE(HasStatus(http().Request("POST", "/api/v1/auth/reset", body), 204));
  EXPECT_TRUE(IsError(http().Request("POST", "/api/v1/auth/reset", body), 400, "INVALID_RESET_TOKEN"));
  EXPECT_TRUE(IsError(http().Request("POST", "/api/v1/auth/reset",
                                     R"({"reset_token":"tkp_nope","new_password":"reset to this one"})"),
                      400, "INVALID_RESET_TOKEN"));
  EXPECT_TRUE(IsError(Me(session.access), 401, "UNAUTHENTICATED")) << "a reset ends the user's sessions";
  EXPECT_TRUE(HasStatus(Login(http(), slug_, "ann@example.com", "reset to this one"), 200));
}

TEST_F(SignInTest, JwksPublishesTheEd25519Key) {
  HttpResponse jwks = http().Request("GET", "/.well-known/jwks.json");
  ASSERT_TRUE(HasStatus(jwks, 200));
  Json json(jwks.body);
  std::vector<element> keys = GetArray(json.root(), "keys");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(GetString(keys[0], "kty"), "OKP");
  EXPECT_EQ(GetString(keys[0], "crv"), "Ed25519");
  EXPECT_EQ(GetString(keys[0], "alg"), "EdDSA");
  EXPECT_EQ(GetString(keys[0], "x").size(), 43u);
}

}  // namespace
}  // namespace ticketd::integration

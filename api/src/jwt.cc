#include "jwt.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <shared_mutex>
#include <unordered_map>

#include "ticketd/app/ids.h"
#include "ticketd/base/encoding.h"
#include "ticketd/base/sha256.h"
#include "signin.h"
#include "json_body.h"
#include "ticketd/projections/json_writer.h"

namespace ticketd::api {
namespace {

constexpr char kKeyFile[] = "jwt-ed25519.pem";

using EvpKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

EvpKey ReadKey(const std::string& path) {
  EvpKey key(nullptr, EVP_PKEY_free);
  std::FILE* file = std::fopen(path.c_str(), "r");
  if (!file) return key;
  key.reset(PEM_read_PrivateKey(file, nullptr, nullptr, nullptr));
  std::fclose(file);
  if (key && EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) key.reset();
  return key;
}

// A new key, written 0600 under a temp name, synced, then renamed.
Status CreateKey(const std::string& path, EvpKey* out) {
  EVP_PKEY* raw = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  bool ok = ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &raw) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return Status::IOError("cannot generate the JWT signing key (OpenSSL)");
  EvpKey key(raw, EVP_PKEY_free);
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("cannot create " + temp);
  std::FILE* file = ::fdopen(fd, "w");
  ok = file && PEM_write_PrivateKey(file, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1 &&
       std::fflush(file) == 0 && ::fsync(fd) == 0;
  if (file) {
    std::fclose(file);
  } else {
    ::close(fd);
  }
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) return Status::IOError("cannot write " + path);
  *out = std::move(key);
  return Status::Ok();
}

std::optional<domain::Id> IdField(const JsonBody& body, std::string_view field) {
  const JsonValue* value = body.Find(field);
  const auto* text = value ? std::get_if<std::string>(value) : nullptr;
  return text ? domain::Id::Parse(*text) : std::nullopt;
}

std::optional<std::int64_t> IntField(const JsonBody& body, std::string_view field) {
  const JsonValue* value = body.Find(field);
  const auto* number = value ? std::get_if<std::int64_t>(value) : nullptr;
  return number ? std::optional<std::int64_t>(*number) : std::nullopt;
}

std::optional<std::string> StringField(const JsonBody& body, std::string_view field) {
  const JsonValue* value = body.Find(field);
  const auto* text = value ? std::get_if<std::string>(value) : nullptr;
  return text ? std::optional<std::string>(*text) : std::nullopt;
}

// Tokens verified before, by SHA-256: 16 shards, each emptied when full.
// Readers share a shard's lock: every request with a cached token only reads.
class VerifiedCache {
 public:
  using Hash = std::array<std::uint8_t, 32>;
  std::optional<AccessClaims> Find(const Hash& hash) const {
    const Shard& shard = shards_[hash[0] % kShards];
    std::shared_lock lock(shard.mu);
    auto it = shard.entries.find(hash);
    if (it == shard.entries.end()) return std::nullopt;
    return it->second;
  }
  void Put(const Hash& hash, const AccessClaims& claims) {
    Shard& shard = shards_[hash[0] % kShards];
    std::unique_lock lock(shard.mu);
    if (shard.entries.size() >= kPerShard) shard.entries.clear();
    shard.entries[hash] = claims;
  }

 private:
  struct HashHasher {
    std::size_t operator()(const Hash& h) const noexcept {
      std::size_t v;
      std::memcpy(&v, h.data() + 1, sizeof v);
      return v;
    }
  };
  static constexpr std::size_t kShards = 16;
  static constexpr std::size_t kPerShard = 8192;
  struct Shard {
    mutable std::shared_mutex mu;
    std::unordered_map<Hash, AccessClaims, HashHasher> entries;
  };
  std::array<Shard, kShards> shards_;
};

}  // namespace

struct JwtKeys::Impl {
  EvpKey key{nullptr, EVP_PKEY_free};
  std::string public_key;  // 32 raw bytes
  std::string kid;
  std::string header_b64;  // base64url of the fixed header
  mutable VerifiedCache verified;
};

JwtKeys::JwtKeys(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JwtKeys::~JwtKeys() = default;

Status JwtKeys::Open(const std::string& data_dir, std::unique_ptr<JwtKeys>* keys) {
  RequireSodium();
  auto impl = std::make_unique<Impl>();
  const std::string path = (std::filesystem::path(data_dir) / kKeyFile).string();
  impl->key = ReadKey(path);
  if (!impl->key) {
    if (std::filesystem::exists(path)) return Status::Corruption(path + " is not an Ed25519 private key");
    if (Status s = CreateKey(path, &impl->key); !s.ok()) return s;
  }
  std::size_t length = 32;
  impl->public_key.resize(32);
  if (EVP_PKEY_get_raw_public_key(impl->key.get(), reinterpret_cast<unsigned char*>(impl->public_key.data()),
                                  &length) != 1 || length != 32)
    return Status::Corruption("cannot read the JWT public key");
  auto digest = Sha256(impl->public_key);
  impl->kid = Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), 12));
  impl->header_b64 = Base64UrlEncode(R"({"alg":"EdDSA","typ":"JWT","kid":")" + impl->kid + "\"}");
  keys->reset(new JwtKeys(std::move(impl)));
  return Status::Ok();
}

std::string JwtKeys::Sign(const AccessClaims& claims) const {
  projections::JsonWriter json;
  json.BeginObject();
  json.Key("sub").String(claims.user_id.ToString());
  json.Key("tid").String(claims.tenant_id.ToString());
  json.Key("sid").String(claims.session_id.ToString());
  json.Key("jti").String(claims.token_id.ToString());
  json.Key("iat").Int(claims.issued_at);
  json.Key("exp").Int(claims.expires_at);
  json.EndObject();
  std::string signing_input = impl_->header_b64 + "." + Base64UrlEncode(json.Take());
  unsigned char signature[64];
  std::size_t length = sizeof signature;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, impl_->key.get()) == 1 &&
            EVP_DigestSign(ctx, signature, &length,
                           reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) std::abort();  // a key that cannot sign is a broken install, not a request error
  return signing_input + "." +
         Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(signature), length));
}

std::optional<AccessClaims> JwtKeys::Verify(std::string_view token, std::int64_t now_seconds) const {
  if (token.size() > 4096) return std::nullopt;
  const auto hash = Sha256(token);
  std::optional<AccessClaims> claims = impl_->verified.Find(hash);
  if (!claims) {
    const std::size_t first = token.find('.');
    const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
      return std::nullopt;
    std::optional<std::string> header = Base64UrlDecode(token.substr(0, first));
    std::optional<std::string> payload = Base64UrlDecode(token.substr(first + 1, second - first - 1));
    std::optional<std::string> signature = Base64UrlDecode(token.substr(second + 1));
    if (!header || !payload || !signature || signature->size() != 64) return std::nullopt;
    auto parsed_header = JsonBody::Parse(*header);
    auto* h = std::get_if<JsonBody>(&parsed_header);
    // Only our algorithm and our key: "none", HS256 with the public key as
    // secret and the like never get as far as a signature check.
    if (!h || StringField(*h, "alg") != "EdDSA" || h->Has("crit") ||
        (h->Has("kid") && StringField(*h, "kid") != impl_->kid))
      return std::nullopt;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const std::string_view signed_part = token.substr(0, second);
    bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, impl_->key.get()) == 1 &&
              EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                               reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok) return std::nullopt;
    auto parsed = JsonBody::Parse(*payload);
    auto* p = std::get_if<JsonBody>(&parsed);
    if (!p) return std::nullopt;
    auto sub = IdField(*p, "sub"), tid = IdField(*p, "tid"), sid = IdField(*p, "sid"), jti = IdField(*p, "jti");
    auto iat = IntField(*p, "iat"), exp = IntField(*p, "exp");
    if (!sub || !tid || !sid || !jti || !iat || !exp) return std::nullopt;
    claims = AccessClaims{*sub, *tid, *sid, *jti, *iat, *exp};
    impl_->verified.Put(hash, *claims);
  }
  if (claims->expires_at <= now_seconds) return std::nullopt;
  return claims;
}

std::string JwtKeys::JwksJson() const {
  projections::JsonWriter json;
  json.BeginObject().Key("keys").BeginArray().BeginObject();
  json.Key("kty").String("OKP");
  json.Key("crv").String("Ed25519");
  json.Key("x").String(Base64UrlEncode(impl_->public_key));
  json.Key("kid").String(impl_->kid);
  json.Key("alg").String("EdDSA");
  json.Key("use").String("sig");
  json.EndObject().EndArray().EndObject();
  return json.Take();
}

bool LooksLikeJwt(std::string_view token) {
  return std::count(token.begin(), token.end(), '.') == 2;
}

}  // namespace ticketd::api

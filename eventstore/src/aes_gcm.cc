#include "aes_gcm.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <climits>
#include <memory>

namespace ticketd::eventstore {
namespace {

struct ContextDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// OpenSSL 3 looks the cipher up in its providers on every implicit use
// (EVP_aes_256_gcm() in an Init call), which costs more than sealing a short
// text: fetch it once, bind it to one context per thread and direction, and
// give later Init calls only the key and nonce.
const EVP_CIPHER* Gcm() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return cipher;
}

using ContextPtr = std::unique_ptr<EVP_CIPHER_CTX, ContextDeleter>;

// A context bound to AES-256-GCM in one direction (later Init calls give it
// only the key and nonce); null if OpenSSL fails.
ContextPtr NewContext(bool encrypt) {
  ContextPtr ctx(EVP_CIPHER_CTX_new());
  if (ctx && (Gcm() == nullptr || EVP_CipherInit_ex(ctx.get(), Gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) != 1))
    ctx.reset();
  return ctx;
}

EVP_CIPHER_CTX* ThreadContext(bool encrypt) {
  thread_local ContextPtr contexts[2];
  ContextPtr& ctx = contexts[encrypt ? 1 : 0];
  if (!ctx) ctx = NewContext(encrypt);
  return ctx.get();
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* Bytes(std::string* s) { return reinterpret_cast<unsigned char*>(s->data()); }

bool FitsInt(std::string_view s) { return s.size() < static_cast<std::size_t>(INT_MAX) / 2; }

// The one sealing sequence, on a context NewContext(true) made (the
// thread's for SealGcm, a GcmSealer's own): a fresh nonce, the aad, the
// text in any number of pieces, the tag, each appended to a string.
bool BeginSeal(EVP_CIPHER_CTX* ctx, const SecretKey& key, std::string_view aad, std::string* out) {
  if (ctx == nullptr || !FitsInt(aad)) return false;
  std::array<std::uint8_t, kGcmNonceBytes> nonce{};
  if (!RandomBytes(nonce)) return false;
  out->append(reinterpret_cast<const char*>(nonce.data()), nonce.size());
  int length = 0;
  return EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce.data()) == 1 &&
         EVP_EncryptUpdate(ctx, nullptr, &length, Bytes(aad), static_cast<int>(aad.size())) == 1;
}

bool UpdateSeal(EVP_CIPHER_CTX* ctx, std::string_view plaintext, std::string* out) {
  if (plaintext.empty()) return true;
  if (!FitsInt(plaintext)) return false;
  const std::size_t at = out->size();
  out->resize(at + plaintext.size());
  int length = 0;
  return EVP_EncryptUpdate(ctx, Bytes(out) + at, &length, Bytes(plaintext), static_cast<int>(plaintext.size())) == 1 &&
         static_cast<std::size_t>(length) == plaintext.size();
}

bool EndSeal(EVP_CIPHER_CTX* ctx, std::string* out) {
  unsigned char tail[16];
  int length = 0;
  // GCM is a stream mode: Final writes nothing; it only completes the tag.
  if (EVP_EncryptFinal_ex(ctx, tail, &length) != 1 || length != 0) return false;
  const std::size_t at = out->size();
  out->resize(at + kGcmTagBytes);
  return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, Bytes(out) + at) == 1;
}

// A whole text on the thread's context: the nonce appended to *nonce_out,
// ciphertext and tag to *sealed_out (the same string for the joined layout).
bool SealWhole(const SecretKey& key, std::string_view aad, std::string_view plaintext, std::string* nonce_out,
               std::string* sealed_out) {
  EVP_CIPHER_CTX* ctx = ThreadContext(/*encrypt=*/true);
  return BeginSeal(ctx, key, aad, nonce_out) && UpdateSeal(ctx, plaintext, sealed_out) && EndSeal(ctx, sealed_out);
}

}  // namespace

bool RandomBytes(std::span<std::uint8_t> out) {
  // Each RAND_bytes call costs about a microsecond whatever its size (the
  // DRBG's per-call work), and a create needs several small draws (a data
  // key, its wrapping nonce, a nonce per sealed text): draw them from a
  // per-thread pool refilled 1 KiB at a time from the same generator.
  constexpr std::size_t kPoolBytes = 1024;
  thread_local std::array<std::uint8_t, kPoolBytes> pool;
  thread_local std::size_t used = kPoolBytes;
  if (out.size() > kPoolBytes / 4) return RAND_bytes(out.data(), static_cast<int>(out.size())) == 1;
  if (kPoolBytes - used < out.size()) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) return false;
    used = 0;
  }
  std::copy_n(pool.begin() + static_cast<std::ptrdiff_t>(used), out.size(), out.begin());
  // Handed-out bytes do not stay behind in the pool.
  OPENSSL_cleanse(pool.data() + used, out.size());
  used += out.size();
  return true;
}

bool SealGcm(const SecretKey& key, std::string_view aad, std::string_view plaintext, std::string* nonce,
             std::string* sealed) {
  nonce->clear();
  sealed->clear();
  sealed->reserve(plaintext.size() + kGcmTagBytes);  // one allocation, as when it was sized up front
  return SealWhole(key, aad, plaintext, nonce, sealed);
}

bool SealGcmJoined(const SecretKey& key, std::string_view aad, std::string_view plaintext, std::string* out) {
  out->reserve(out->size() + kGcmNonceBytes + plaintext.size() + kGcmTagBytes);
  return SealWhole(key, aad, plaintext, out, out);
}

struct GcmSealer::Context {
  ContextPtr ctx = NewContext(/*encrypt=*/true);
};

GcmSealer::GcmSealer() : context_(std::make_unique<Context>()) {}

GcmSealer::~GcmSealer() = default;

bool GcmSealer::Begin(const SecretKey& key, std::string_view aad, std::string* out) {
  return BeginSeal(context_->ctx.get(), key, aad, out);
}

bool GcmSealer::Update(std::string_view plaintext, std::string* out) {
  return UpdateSeal(context_->ctx.get(), plaintext, out);
}

bool GcmSealer::End(std::string* out) { return EndSeal(context_->ctx.get(), out); }

bool OpenGcm(const SecretKey& key, std::string_view aad, std::string_view nonce, std::string_view sealed,
             std::string* plaintext) {
  if (nonce.size() != kGcmNonceBytes || sealed.size() < kGcmTagBytes || !FitsInt(sealed) || !FitsInt(aad))
    return false;
  EVP_CIPHER_CTX* ctx = ThreadContext(/*encrypt=*/false);
  if (ctx == nullptr) return false;
  const std::size_t text_size = sealed.size() - kGcmTagBytes;
  plaintext->resize(text_size);
  std::string tag(sealed.substr(text_size));
  int length = 0;
  int tail = 0;
  const bool ok =
      EVP_DecryptInit_ex(ctx, nullptr, nullptr, key.data(), Bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx, nullptr, &length, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx, Bytes(plaintext), &length, Bytes(sealed), static_cast<int>(text_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx, Bytes(plaintext) + length, &tail) == 1;
  if (!ok) plaintext->clear();
  return ok;
}

bool OpenGcmJoined(const SecretKey& key, std::string_view aad, std::string_view joined, std::string* plaintext) {
  if (joined.size() < kGcmNonceBytes) {
    plaintext->clear();
    return false;
  }
  return OpenGcm(key, aad, joined.substr(0, kGcmNonceBytes), joined.substr(kGcmNonceBytes), plaintext);
}

}  // namespace ticketd::eventstore

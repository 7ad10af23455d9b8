#include "aes_gcm.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <memory>

namespace ticketd::eventstore {
namespace {

struct ContextDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// Creating a context costs about as much as sealing a short text: keep one
// per thread and reset it per call.
EVP_CIPHER_CTX* ThreadContext() {
  thread_local std::unique_ptr<EVP_CIPHER_CTX, ContextDeleter> ctx(EVP_CIPHER_CTX_new());
  if (ctx) EVP_CIPHER_CTX_reset(ctx.get());
  return ctx.get();
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* Bytes(std::string* s) { return reinterpret_cast<unsigned char*>(s->data()); }

bool FitsInt(std::string_view s) { return s.size() < static_cast<std::size_t>(INT_MAX) / 2; }

}  // namespace

bool RandomBytes(std::span<std::uint8_t> out) {
  return RAND_bytes(out.data(), static_cast<int>(out.size())) == 1;
}

bool SealGcm(const SecretKey& key, std::string_view aad, std::string_view plaintext, std::string* nonce,
             std::string* sealed) {
  if (!FitsInt(plaintext) || !FitsInt(aad)) return false;
  EVP_CIPHER_CTX* ctx = ThreadContext();
  if (ctx == nullptr) return false;
  nonce->resize(kGcmNonceBytes);
  if (!RandomBytes({reinterpret_cast<std::uint8_t*>(nonce->data()), nonce->size()})) return false;
  sealed->resize(plaintext.size() + kGcmTagBytes);
  int length = 0;
  int tail = 0;
  const bool ok =
      EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), Bytes(*nonce)) == 1 &&
      EVP_EncryptUpdate(ctx, nullptr, &length, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_EncryptUpdate(ctx, Bytes(sealed), &length, Bytes(plaintext), static_cast<int>(plaintext.size())) ==
          1 &&
      EVP_EncryptFinal_ex(ctx, Bytes(sealed) + length, &tail) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, Bytes(sealed) + plaintext.size()) == 1;
  return ok && static_cast<std::size_t>(length + tail) == plaintext.size();
}

bool OpenGcm(const SecretKey& key, std::string_view aad, std::string_view nonce, std::string_view sealed,
             std::string* plaintext) {
  if (nonce.size() != kGcmNonceBytes || sealed.size() < kGcmTagBytes || !FitsInt(sealed) || !FitsInt(aad))
    return false;
  EVP_CIPHER_CTX* ctx = ThreadContext();
  if (ctx == nullptr) return false;
  const std::size_t text_size = sealed.size() - kGcmTagBytes;
  plaintext->resize(text_size);
  std::string tag(sealed.substr(text_size));
  int length = 0;
  int tail = 0;
  const bool ok =
      EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), Bytes(nonce)) == 1 &&
      EVP_DecryptUpdate(ctx, nullptr, &length, Bytes(aad), static_cast<int>(aad.size())) == 1 &&
      EVP_DecryptUpdate(ctx, Bytes(plaintext), &length, Bytes(sealed), static_cast<int>(text_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx, Bytes(plaintext) + length, &tail) == 1;
  if (!ok) plaintext->clear();
  return ok;
}

}  // namespace ticketd::eventstore

// AES-256-GCM through OpenSSL, for the key vault and personal text.
// Each call seals under a fresh random 96-bit nonce; the tag (16 bytes) is
// appended to the ciphertext. Thread-safe (one cipher context per thread).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ticketd::eventstore {

using SecretKey = std::array<std::uint8_t, 32>;

inline constexpr std::size_t kGcmNonceBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

// Fills `out` from OpenSSL's CSPRNG (small draws come from a per-thread
// buffer of its output); false if it has no entropy to give.
bool RandomBytes(std::span<std::uint8_t> out);

// Seals `plaintext` bound to `aad`: *nonce gets 12 random bytes, *sealed the
// ciphertext followed by the tag (GcmSealer's steps in one call, on the
// thread's cipher context). false only if OpenSSL fails.
bool SealGcm(const SecretKey& key, std::string_view aad, std::string_view plaintext, std::string* nonce,
             std::string* sealed);

// SealGcm's layout (nonce, ciphertext, tag) appended to one string as the
// text arrives in pieces: a streamed attachment chunk is sealed straight into
// the value its staging file stores, with no plaintext buffer and no copy of
// the sealed bytes. Holds its own cipher context, so its pieces may come from
// different threads in turn (never at once).
class GcmSealer {
 public:
  GcmSealer();
  ~GcmSealer();
  GcmSealer(const GcmSealer&) = delete;
  GcmSealer& operator=(const GcmSealer&) = delete;
  // Appends a fresh nonce to *out and starts a text bound to `aad`.
  bool Begin(const SecretKey& key, std::string_view aad, std::string* out);
  // Appends the ciphertext of the next piece.
  bool Update(std::string_view plaintext, std::string* out);
  // Appends the tag; Begin starts the next text.
  bool End(std::string* out);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

// Opens what SealGcm made; false when the tag does not verify (wrong key,
// wrong aad, altered bytes) or the sizes are wrong.
bool OpenGcm(const SecretKey& key, std::string_view aad, std::string_view nonce, std::string_view sealed,
             std::string* plaintext);

// The one-string layout GcmSealer writes (nonce, then ciphertext and tag),
// which is how the key vault, the attachment store and the master-key
// wrapped values keep their bytes: SealGcmJoined appends a whole text's to
// *out in one call (on the thread's context), OpenGcmJoined opens one.
bool SealGcmJoined(const SecretKey& key, std::string_view aad, std::string_view plaintext, std::string* out);
bool OpenGcmJoined(const SecretKey& key, std::string_view aad, std::string_view joined, std::string* plaintext);

}  // namespace ticketd::eventstore

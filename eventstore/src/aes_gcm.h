// AES-256-GCM through OpenSSL, for the key vault and personal text.
// Each call seals under a fresh random 96-bit nonce; the tag (16 bytes) is
// appended to the ciphertext. Thread-safe (one cipher context per thread).
#pragma once

#include <array>
#include <cstdint>
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
// ciphertext followed by the tag. false only if OpenSSL fails.
bool SealGcm(const SecretKey& key, std::string_view aad, std::string_view plaintext, std::string* nonce,
             std::string* sealed);

// Opens what SealGcm made; false when the tag does not verify (wrong key,
// wrong aad, altered bytes) or the sizes are wrong.
bool OpenGcm(const SecretKey& key, std::string_view aad, std::string_view nonce, std::string_view sealed,
             std::string* plaintext);

}  // namespace ticketd::eventstore

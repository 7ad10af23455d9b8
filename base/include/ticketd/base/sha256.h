// SHA-256, the one wrapper over OpenSSL's EVP interface that every module
// uses (token and key hashes, derived ids, the audit chain, canonical
// read-model hashes). The algorithm is fetched once per process and each
// thread reuses one digest context, since the audit chain hashes every event.
// Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ticketd {

using Sha256Digest = std::array<std::uint8_t, 32>;

// SHA-256 of the concatenation of `parts` (no copy is made). Aborts only if
// libcrypto itself fails (out of memory): a made-up hash is never returned.
Sha256Digest Sha256(std::initializer_list<std::string_view> parts);
inline Sha256Digest Sha256(std::string_view data) { return Sha256({data}); }
// Lowercase hex of Sha256(data).
std::string Sha256Hex(std::string_view data);

}  // namespace ticketd

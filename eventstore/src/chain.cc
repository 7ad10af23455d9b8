// The audit chain step: SHA-256(previous hash || envelope bytes as stored).
#include <openssl/evp.h>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {

Hash ChainHash(const Hash& previous, std::string_view envelope) {
  Hash out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int length = 0;
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, previous.data(), previous.size());
  EVP_DigestUpdate(ctx, envelope.data(), envelope.size());
  EVP_DigestFinal_ex(ctx, out.data(), &length);
  EVP_MD_CTX_free(ctx);
  return out;
}

std::string HashToHex(const Hash& hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (auto b : hash) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

}  // namespace ticketd::eventstore

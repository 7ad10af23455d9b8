// The audit chain step: SHA-256(previous hash || envelope bytes as stored).
// Thread-safe: the fetched digest is shared read-only, each call has its own
// context.
#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::eventstore {
namespace {

// Fetched once: with OpenSSL 3 a plain EVP_sha256() in EVP_DigestInit_ex
// looks the algorithm up in the provider on every call, a measurable cost at
// one hash per appended event.
const EVP_MD* Sha256() {
  static const EVP_MD* const md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

Hash ChainHash(const Hash& previous, std::string_view envelope) {
  Hash out{};
  // One context per thread, reinitialized per call: a scan hashes every
  // event, and a fresh context each time is an allocation each.
  thread_local const std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned int length = 0;
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx.get(), Sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx.get(), previous.data(), previous.size()) == 1 &&
                  EVP_DigestUpdate(ctx.get(), envelope.data(), envelope.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx.get(), out.data(), &length) == 1 && length == out.size();
  if (!ok) {
    // Only out of memory or a broken libcrypto gets here. A made-up hash
    // would be written into the audit chain forever, so stop instead.
    std::fprintf(stderr, "ticketd: SHA-256 failed; refusing to write an unverifiable audit chain\n");
    std::abort();
  }
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

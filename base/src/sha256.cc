#include "ticketd/base/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "ticketd/base/encoding.h"

namespace ticketd {
namespace {

// Fetched once: with OpenSSL 3 a plain EVP_sha256() in EVP_DigestInit_ex
// looks the algorithm up in the provider on every call, a measurable cost at
// one hash per appended event.
const EVP_MD* Algorithm() {
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

Sha256Digest Sha256(std::initializer_list<std::string_view> parts) {
  Sha256Digest out{};
  // One context per thread, reinitialized per call: a log scan hashes every
  // event, and a fresh context each time is an allocation each.
  thread_local const std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx.get(), Algorithm(), nullptr) == 1;
  for (std::string_view part : parts) ok = ok && EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1;
  unsigned int length = 0;
  ok = ok && EVP_DigestFinal_ex(ctx.get(), out.data(), &length) == 1 && length == out.size();
  if (!ok) {
    // Only out of memory or a broken libcrypto gets here. A made-up hash
    // could end up in the audit chain forever, so stop instead.
    std::fprintf(stderr, "ticketd: SHA-256 failed (libcrypto); stopping\n");
    std::abort();
  }
  return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

}  // namespace ticketd

#include "ticketd/app/ids.h"

#include <openssl/rand.h>

#include <cstring>
#include <random>

#include "ticketd/base/encoding.h"
#include "ticketd/base/sha256.h"

namespace ticketd::app {
namespace {

// xoshiro256**: fast, good statistical quality; ids need uniqueness, not secrecy.
class Xoshiro256 {
 public:
  Xoshiro256() {
    std::random_device device;
    for (auto& word : state_) word = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

void SetVersion(domain::Id& id, int version) {
  id.bytes[6] = static_cast<std::uint8_t>((id.bytes[6] & 0x0F) | (version << 4));
  id.bytes[8] = static_cast<std::uint8_t>((id.bytes[8] & 0x3F) | 0x80);
}

}  // namespace

domain::Id RandomId() {
  thread_local Xoshiro256 generator;
  domain::Id id;
  std::uint64_t a = generator.Next(), b = generator.Next();
  std::memcpy(id.bytes.data(), &a, 8);
  std::memcpy(id.bytes.data() + 8, &b, 8);
  SetVersion(id, 4);
  return id;
}

domain::Id DerivedId(std::string_view name) {
  auto digest = Sha256(name);
  domain::Id id;
  std::memcpy(id.bytes.data(), digest.data(), 16);
  SetVersion(id, 5);
  return id;
}

std::string NewBearerToken() {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) std::abort();  // no entropy: never hand out a weak token
  return "tkd_" + Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
}

}  // namespace ticketd::app

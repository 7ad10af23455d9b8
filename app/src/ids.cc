#include "ticketd/app/ids.h"

#include <openssl/rand.h>

#include <chrono>
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

Xoshiro256& Generator() {
  thread_local Xoshiro256 generator;
  return generator;
}

}  // namespace

domain::Id RandomId() {
  Xoshiro256& generator = Generator();
  domain::Id id;
  std::uint64_t a = generator.Next(), b = generator.Next();
  std::memcpy(id.bytes.data(), &a, 8);
  std::memcpy(id.bytes.data() + 8, &b, 8);
  SetVersion(id, 4);
  return id;
}

domain::Id TimeOrderedId() {
  thread_local std::uint64_t last_ms = 0;
  thread_local std::uint16_t sequence = 0;
  auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  if (ms > last_ms) {
    sequence = 0;
  } else if (++sequence > 0x0FFF) {  // 4096 in one millisecond: borrow the next one
    ms = last_ms + 1;
    sequence = 0;
  } else {
    ms = last_ms;  // the clock went back: stay monotonic
  }
  last_ms = ms;
  domain::Id id;
  for (int i = 0; i < 6; ++i) id.bytes[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  id.bytes[6] = static_cast<std::uint8_t>(0x70 | (sequence >> 8));
  id.bytes[7] = static_cast<std::uint8_t>(sequence & 0xFF);
  const std::uint64_t random = Generator().Next();
  std::memcpy(id.bytes.data() + 8, &random, 8);
  id.bytes[8] = static_cast<std::uint8_t>((id.bytes[8] & 0x3F) | 0x80);
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

// RateLimiter: a token bucket per bearer token (keyed by the token's
// SHA-256), refilled at `rate` per second up to `burst`. Off unless ticketd
// is started with --rate-limit, so benchmarks and bulk imports are never
// throttled by surprise. Thread-safe: 16 shards, each behind its own mutex.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace ticketd::api {

class RateLimiter {
 public:
  using Key = std::array<std::uint8_t, 32>;
  using Clock = std::chrono::steady_clock;

  RateLimiter(double rate_per_second, double burst);

  // True if the request may proceed; otherwise *retry_after_seconds says
  // when the next token will be there (at least 1).
  bool Allow(const Key& key, Clock::time_point now, int* retry_after_seconds);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point refilled;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const noexcept;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<Key, Bucket, KeyHash> buckets;
  };
  double rate_;
  double burst_;
  std::array<Shard, 16> shards_;
};

}  // namespace ticketd::api

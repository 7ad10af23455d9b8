#include "rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ticketd::api {

RateLimiter::RateLimiter(double rate_per_second, double burst)
    : rate_(rate_per_second), burst_(std::max(1.0, burst)) {}

std::size_t RateLimiter::KeyHash::operator()(const Key& key) const noexcept {
  std::size_t value;
  std::memcpy(&value, key.data(), sizeof value);
  return value;
}

bool RateLimiter::Allow(const Key& key, Clock::time_point now, int* retry_after_seconds) {
  Shard& shard = shards_[key[31] % shards_.size()];
  std::lock_guard lock(shard.mu);
  auto [it, inserted] = shard.buckets.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.refilled = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  *retry_after_seconds = std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / rate_)));
  return false;
}

}  // namespace ticketd::api

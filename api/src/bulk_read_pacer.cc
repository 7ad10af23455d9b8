#include "bulk_read_pacer.h"

#include <algorithm>

namespace ticketd::api {

BulkReadPacer::BulkReadPacer(std::uint64_t floor_bytes_per_second) : floor_(floor_bytes_per_second) {}

BulkReadPacer::Clock::duration BulkReadPacer::Charge(Clock::time_point now, bool saturated, std::size_t bytes) {
  std::lock_guard lock(mu_);
  if (!saturated || floor_ == 0) {
    next_free_ = now;  // no debt from a saturated period carries over
    return Clock::duration::zero();
  }
  // The charge starts when the budget is free (now, if it has been idle).
  const auto cost = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(static_cast<double>(bytes) / static_cast<double>(floor_)));
  const Clock::duration wait = std::max(next_free_, now) + cost - now;
  next_free_ = now + wait;
  stats_.paced_bytes += bytes;
  if (wait > Clock::duration::zero()) {
    ++stats_.pauses;
    stats_.paused_ns += static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count());
  }
  return wait;
}

BulkReadPacer& BulkReadPacer::Uploads() {
  static BulkReadPacer pacer;
  return pacer;
}

void BulkReadPacer::set_floor(std::uint64_t bytes_per_second) {
  std::lock_guard lock(mu_);
  floor_ = bytes_per_second;
}

std::uint64_t BulkReadPacer::floor() const {
  std::lock_guard lock(mu_);
  return floor_;
}

BulkReadPacer::Stats BulkReadPacer::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace ticketd::api

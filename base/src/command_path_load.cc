#include "ticketd/base/command_path_load.h"

#include <algorithm>

namespace ticketd {
namespace {

std::int64_t Nanoseconds(CommandPathLoad::Clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
}

}  // namespace

void CommandPathLoad::ObserveBatch(Clock::time_point end, std::size_t commands, Clock::duration busy) {
  if (window_batches_ == 0) window_start_ = end - busy;
  window_busy_ += busy;
  window_commands_ += commands;
  ++window_batches_;
  Clock::duration elapsed = end - window_start_;
  if (elapsed < kWindow) return;
  double seconds = std::chrono::duration<double>(elapsed).count();
  double busy_fraction = std::min(1.0, std::chrono::duration<double>(window_busy_).count() / seconds);
  double per_batch = static_cast<double>(window_commands_) / static_cast<double>(window_batches_);
  busy_per_million_.store(static_cast<std::uint32_t>(busy_fraction * 1e6), std::memory_order_relaxed);
  commands_per_batch_x1000_.store(static_cast<std::uint32_t>(std::min(per_batch * 1000.0, 4e9)),
                                  std::memory_order_relaxed);
  commands_per_second_.store(static_cast<std::uint32_t>(std::min(window_commands_ / seconds, 4e9)),
                             std::memory_order_relaxed);
  published_at_ns_.store(Nanoseconds(end), std::memory_order_release);
  window_busy_ = {};
  window_commands_ = 0;
  window_batches_ = 0;
}

CommandPathLoad::Reading CommandPathLoad::Read(Clock::time_point now) const {
  std::int64_t published = published_at_ns_.load(std::memory_order_acquire);
  std::int64_t stale_after = std::chrono::duration_cast<std::chrono::nanoseconds>(2 * kWindow).count();
  if (published == 0 || Nanoseconds(now) - published > stale_after) return {};
  Reading reading;
  reading.busy_fraction = busy_per_million_.load(std::memory_order_relaxed) / 1e6;
  reading.commands_per_batch = commands_per_batch_x1000_.load(std::memory_order_relaxed) / 1000.0;
  reading.commands_per_second = commands_per_second_.load(std::memory_order_relaxed);
  return reading;
}

bool CommandPathLoad::Saturated(Clock::time_point now) const {
  Reading reading = Read(now);
  return reading.busy_fraction >= kSaturatedBusyFraction &&
         reading.commands_per_batch >= kSaturatedCommandsPerBatch;
}

}  // namespace ticketd

// Waiting in tests without sleep-then-assert: poll a condition until it
// holds or a deadline passes, so a slow machine only makes a test slower and
// a real failure still ends it.
//
// Thread-safety: any thread.
#pragma once

#include <chrono>
#include <thread>

namespace ticketd::test_support {

inline constexpr std::chrono::seconds kPollTimeout{30};

// Calls `condition` until it returns true (then true) or `timeout` has
// passed (then false), waiting `interval` between calls.
template <class Condition>
bool PollUntil(Condition condition, std::chrono::milliseconds timeout = kPollTimeout,
               std::chrono::milliseconds interval = std::chrono::milliseconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);
  }
  return true;
}

}  // namespace ticketd::test_support

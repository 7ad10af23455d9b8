// Lockout against password guessing: after kMaxFailures failed logins for
// one account (tenant + normalised email, whether or not such a user
// exists, so the answer reveals nothing) within kWindow, further logins for
// it are refused until the oldest of those failures leaves the window.
// In memory: a restart forgets failures (documented in api-decisions.md).
//
// Thread-safety: all methods from any thread (one mutex; O(1) each).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ticketd::api {

class LoginGuard {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxFailures = 5;
  static constexpr std::chrono::seconds kWindow{15 * 60};
  static constexpr std::size_t kMaxAccounts = 100000;  // memory bound: oldest entries go first

  // Starts a login attempt: 0 when it may go ahead (then Finish() must
  // follow), else the seconds until the account may try again. Attempts in
  // flight count as failures, so parallel guesses cannot exceed the limit.
  int Begin(const std::string& account, Clock::time_point now);
  void Finish(const std::string& account, Clock::time_point now, bool success);
  // Ends an attempt that never checked a password (the pool was full).
  void Cancel(const std::string& account);

 private:
  std::mutex mu_;
  struct Entry {
    std::deque<Clock::time_point> failures;  // the last kMaxFailures, oldest first
    std::size_t in_flight = 0;
  };
  std::unordered_map<std::string, Entry> accounts_;
};

}  // namespace ticketd::api

// Passwords: Argon2id through libsodium's crypto_pwhash, and the small
// bounded pool that runs it. One hash or verify costs ~50-100 ms of CPU on
// purpose, so it never runs on the writer thread or an HTTP thread: handlers
// hand a job to the pool and answer from it. Past the queue a job is refused
// (the handler answers 503 with Retry-After) instead of piling up, and the
// workers run at a lower CPU priority (nice 10), so a login storm slows
// logins, not ticket traffic.
//
// Thread-safety: TrySubmit from any thread. Stop() (and the destructor)
// runs the queued jobs, then joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ticketd::api {

// Argon2id cost: t=3 passes over 64 MiB, ~60-90 ms per verify on one core
// of the 2-core build machine (docs/api-decisions.md). Hashes carry their
// parameters, so raising these later keeps old hashes verifiable.
inline constexpr unsigned long long kPasswordOpsLimit = 3;
inline constexpr std::size_t kPasswordMemLimit = 64u << 20;

// libsodium's encoded "$argon2id$v=19$m=...,t=...,p=1$salt$hash"; empty if
// hashing failed (out of memory).
std::string HashPassword(std::string_view password);
// Constant-time check of `password` against an encoded hash; false for a
// malformed hash.
bool VerifyPassword(const std::string& hash, std::string_view password);
// A hash of a random password, made once: unknown users and deactivated
// ones are "verified" against it, so every failed login costs the same.
const std::string& DummyPasswordHash();

class PasswordPool {
 public:
  // `thread_name`: at most 15 characters (top -H).
  PasswordPool(std::size_t workers, std::size_t max_queue, const char* thread_name);
  ~PasswordPool();
  PasswordPool(const PasswordPool&) = delete;
  PasswordPool& operator=(const PasswordPool&) = delete;

  // Queues `job`; false (and `job` dropped) when the queue is full or the
  // pool stopped.
  [[nodiscard]] bool TrySubmit(std::function<void()> job);
  void Stop();

 private:
  void Work(const char* thread_name);
  const std::size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ticketd::api

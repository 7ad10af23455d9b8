#include "password_pool.h"

#include <sodium.h>

#include <cstdlib>

#include "signin.h"
#include "ticketd/base/background_thread.h"

namespace ticketd::api {

std::string HashPassword(std::string_view password) {
  RequireSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kPasswordOpsLimit, kPasswordMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return {};
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& DummyPasswordHash() {
  static const std::string hash = [] {
    RequireSodium();
    unsigned char random[32];
    randombytes_buf(random, sizeof random);
    return HashPassword(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
  }();
  return hash;
}

PasswordPool::PasswordPool(std::size_t workers, std::size_t max_queue, const char* thread_name)
    : max_queue_(max_queue) {
  RequireSodium();
  for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this, thread_name] { Work(thread_name); });
}

PasswordPool::~PasswordPool() { Stop(); }

bool PasswordPool::TrySubmit(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= max_queue_) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void PasswordPool::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& thread : threads_)
    if (thread.joinable()) thread.join();
}

void PasswordPool::Work(const char* thread_name) {
  // Below the HTTP and writer threads: Argon2 may take what they leave.
  RunThisThreadInBackground(thread_name, BackgroundClass::kLowPriority);
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

}  // namespace ticketd::api

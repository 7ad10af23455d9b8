#include "login_guard.h"

namespace ticketd::api {

int LoginGuard::Begin(const std::string& account, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (accounts_.size() >= kMaxAccounts && !accounts_.contains(account)) {
    // Drop entries whose failures all aged out; if none did, start over.
    std::erase_if(accounts_, [&](const auto& entry) {
      const Entry& e = entry.second;
      return e.in_flight == 0 && (e.failures.empty() || now - e.failures.back() >= kWindow);
    });
    if (accounts_.size() >= kMaxAccounts) accounts_.clear();
  }
  Entry& entry = accounts_[account];
  while (!entry.failures.empty() && now - entry.failures.front() >= kWindow) entry.failures.pop_front();
  if (entry.failures.size() + entry.in_flight < kMaxFailures) {
    ++entry.in_flight;
    return 0;
  }
  if (entry.failures.size() < kMaxFailures) return 1;  // others are trying right now
  // Locked until the oldest of the last kMaxFailures failures ages out.
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(entry.failures.front() + kWindow - now).count();
  return static_cast<int>(seconds + 1);
}

void LoginGuard::Finish(const std::string& account, Clock::time_point now, bool success) {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(account);
  if (it == accounts_.end()) return;  // cleared meanwhile
  Entry& entry = it->second;
  if (entry.in_flight > 0) --entry.in_flight;
  if (success) {
    entry.failures.clear();
  } else {
    entry.failures.push_back(now);
    while (entry.failures.size() > kMaxFailures) entry.failures.pop_front();
  }
  if (entry.failures.empty() && entry.in_flight == 0) accounts_.erase(it);
}

void LoginGuard::Cancel(const std::string& account) {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(account);
  if (it == accounts_.end()) return;
  if (it->second.in_flight > 0) --it->second.in_flight;
  if (it->second.failures.empty() && it->second.in_flight == 0) accounts_.erase(it);
}

}  // namespace ticketd::api

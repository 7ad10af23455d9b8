#include "api_key_usage.h"

#include "ticketd/app/engine.h"

namespace ticketd::api {

ApiKeyUsage::ApiKeyUsage(Engine& engine, std::chrono::milliseconds flush_every) : engine_(engine) {
  flusher_ = std::thread([this, flush_every] { Loop(flush_every); });
}

ApiKeyUsage::~ApiKeyUsage() { Stop(); }

void ApiKeyUsage::Count(const domain::Id& tenant_id, const domain::Id& key_id, domain::Timestamp now) {
  const std::int64_t day = now / domain::kMicrosPerDay;
  std::unique_lock lock(mu_);
  auto [it, created] = counters_.try_emplace(key_id);
  Counter& counter = it->second;
  if (created) counter.tenant_id = tenant_id;
  auto [slot, first_today] = counter.requests_by_day.try_emplace(day, 0);
  if (first_today) {
    // Continue from the total already in the log (a restart, or an earlier
    // counter of this day). Rare: once per key and day.
    lock.unlock();
    std::int64_t persisted = 0;
    if (auto access = engine_.directory().GetAccess(tenant_id)) {
      if (auto key = access->api_keys.find(key_id); key != access->api_keys.end()) {
        if (auto d = key->second.requests_by_day.find(day); d != key->second.requests_by_day.end())
          persisted = d->second;
      }
    }
    lock.lock();
    std::int64_t& total = counters_[key_id].requests_by_day[day];
    total = std::max(total, persisted);
  }
  Counter& current = counters_[key_id];
  current.requests_by_day[day] += 1;
  current.dirty_days[day] = true;
  current.last_used_at = std::max(current.last_used_at, now);
}

std::map<std::int64_t, std::int64_t> ApiKeyUsage::RequestsByDay(const domain::Id& tenant_id,
                                                              const domain::Id& key_id) const {
  std::map<std::int64_t, std::int64_t> days;
  if (auto access = engine_.directory().GetAccess(tenant_id)) {
    if (auto key = access->api_keys.find(key_id); key != access->api_keys.end()) days = key->second.requests_by_day;
  }
  std::lock_guard lock(mu_);
  if (auto it = counters_.find(key_id); it != counters_.end()) {
    for (const auto& [day, requests] : it->second.requests_by_day) days[day] = std::max(days[day], requests);
  }
  return days;
}

std::optional<domain::Timestamp> ApiKeyUsage::LastUsedAt(const domain::Id& tenant_id,
                                                         const domain::Id& key_id) const {
  std::optional<domain::Timestamp> last;
  if (auto access = engine_.directory().GetAccess(tenant_id)) {
    if (auto key = access->api_keys.find(key_id); key != access->api_keys.end()) last = key->second.last_used_at;
  }
  std::lock_guard lock(mu_);
  if (auto it = counters_.find(key_id); it != counters_.end() && it->second.last_used_at > 0)
    last = std::max(last.value_or(0), it->second.last_used_at);
  return last;
}

void ApiKeyUsage::Flush() {
  std::unordered_map<domain::Id, domain::RecordApiKeyUsage, domain::IdHash> by_tenant;
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  {
    std::lock_guard lock(mu_);
    for (auto& [key_id, counter] : counters_) {
      for (const auto& [day, dirty] : counter.dirty_days) {
        domain::RecordApiKeyUsage& command = by_tenant[counter.tenant_id];
        command.usage.push_back(
            domain::ApiKeyUsage{key_id, day, counter.requests_by_day[day], counter.last_used_at});
      }
      counter.dirty_days.clear();
    }
  }
  for (auto& [tenant_id, command] : by_tenant) {
    command.actor = domain::Actor{.kind = domain::Actor::Kind::kPlatformAdmin};
    command.at = now;
    command.tenant_id = tenant_id;
    engine_.Submit(domain::DirectoryCommand{std::move(command)}, domain::Id{}, [](app::CommandOutcome&&) {});
  }
}

void ApiKeyUsage::Loop(std::chrono::milliseconds flush_every) {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, flush_every, [this] { return stopping_; });
    lock.unlock();
    Flush();
    lock.lock();
  }
}

void ApiKeyUsage::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (flusher_.joinable()) flusher_.join();
}

}  // namespace ticketd::api

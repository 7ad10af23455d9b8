// ApiKeyUsage: per-key, per-UTC-day request counts of the API keys
// (ACCESS.md: every request a key authenticated counts, 403s included,
// visible within a second).
//
// Counting happens in memory on the HTTP threads (one short mutex section
// per API-key request), so GET .../usage sees it at once. Persisting is
// cheap and batched: every `flush_every` a background thread submits, per
// tenant, ONE RecordApiKeyUsage command carrying the running totals of the
// (key, day) pairs that changed, which the engine appends as api_key.usage
// events. Totals (not deltas) make a repeated or late batch harmless. A
// kill -9 loses at most the last interval's counts; a clean stop flushes
// (docs/api-decisions.md). After a restart the counts continue from the
// totals in the log (the directory read model).
// Thread-safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "ticketd/domain/id.h"
#include "ticketd/domain/time.h"

namespace ticketd::app {
class Engine;
}  // namespace ticketd::app

namespace ticketd::api {

using app::Engine;

class ApiKeyUsage {
 public:
  ApiKeyUsage(Engine& engine, std::chrono::milliseconds flush_every);
  ~ApiKeyUsage();  // Stop()s
  ApiKeyUsage(const ApiKeyUsage&) = delete;
  ApiKeyUsage& operator=(const ApiKeyUsage&) = delete;

  // One authenticated request of `key_id` at `now`.
  void Count(const domain::Id& tenant_id, const domain::Id& key_id, domain::Timestamp now);
  // Requests per day (days since the epoch): the log's totals merged with
  // the counts not yet persisted.
  std::map<std::int64_t, std::int64_t> RequestsByDay(const domain::Id& tenant_id, const domain::Id& key_id) const;
  std::optional<domain::Timestamp> LastUsedAt(const domain::Id& tenant_id, const domain::Id& key_id) const;

  // Submits what changed since the last flush (no-op when nothing did).
  void Flush();
  // Flushes one last time and stops the background thread; before the engine stops.
  void Stop();

 private:
  struct Counter {
    domain::Id tenant_id;
    std::map<std::int64_t, std::int64_t> requests_by_day;
    std::map<std::int64_t, bool> dirty_days;
    domain::Timestamp last_used_at = 0;
  };
  void Loop(std::chrono::milliseconds flush_every);

  Engine& engine_;
  mutable std::mutex mu_;
  std::unordered_map<domain::Id, Counter, domain::IdHash> counters_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace ticketd::api

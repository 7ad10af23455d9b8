#include "ticketd/app/time_zones.h"

#include <date/tz.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ticketd::app {
namespace {

using Seconds = std::chrono::seconds;

class TzZoneClock final : public domain::ZoneClock {
 public:
  explicit TzZoneClock(const date::time_zone* zone) : zone_(zone) {}
  std::int64_t ToLocal(std::int64_t utc_seconds) const override {
    const date::sys_seconds utc{Seconds(utc_seconds)};
    return zone_->to_local(utc).time_since_epoch().count();
  }
  std::int64_t ToUtc(std::int64_t local_seconds) const override {
    const date::local_seconds local{Seconds(local_seconds)};
    const date::local_info info = zone_->get_info(local);
    switch (info.result) {
      case date::local_info::unique:
      case date::local_info::ambiguous:  // the first occurrence
        return local_seconds - info.first.offset.count();
      case date::local_info::nonexistent:  // skipped by a DST change: where the gap ends
        return info.second.begin.time_since_epoch().count();
    }
    return local_seconds - info.first.offset.count();
  }

 private:
  const date::time_zone* zone_;
};

const date::time_zone* Locate(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;  // unknown name (or no tzdata): the callers' answer is "unknown"
  }
}

struct Clocks {
  std::mutex mu;
  std::map<std::string, std::unique_ptr<TzZoneClock>, std::less<>> by_name;
};

Clocks& AllClocks() {
  static Clocks clocks;
  return clocks;
}

}  // namespace

bool IsKnownTimeZone(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return Locate(name) != nullptr;
}

const domain::ZoneClock& ZoneClockFor(std::string_view name) {
  static const domain::UtcZoneClock kUtc;
  if (name.empty() || name == "UTC") return kUtc;
  Clocks& clocks = AllClocks();
  std::lock_guard lock(clocks.mu);
  if (auto it = clocks.by_name.find(name); it != clocks.by_name.end()) return *it->second;
  const date::time_zone* zone = Locate(name);
  if (!zone) return kUtc;
  auto [it, inserted] = clocks.by_name.emplace(std::string(name), std::make_unique<TzZoneClock>(zone));
  return *it->second;
}

}  // namespace ticketd::app

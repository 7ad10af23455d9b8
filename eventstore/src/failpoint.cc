#include "ticketd/eventstore/failpoint.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace ticketd::eventstore {
namespace {

enum class Action { kPause, kFailOnce, kSpent };

struct Failpoints {
  std::mutex mu;
  std::unordered_map<std::string, Action> actions;  // guarded by mu
  std::string release_file;
};

// Parsed once from the environment; null when no failpoint is set (the usual case).
Failpoints* Configured() {
  static Failpoints* const configured = []() -> Failpoints* {
    const char* spec = std::getenv("TICKETD_FAILPOINT");
    if (spec == nullptr || *spec == '\0') return nullptr;
    auto* points = new Failpoints();  // lives as long as the process
    std::string_view rest(spec);
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      const std::size_t colon = item.find(':');
      const std::string_view name = item.substr(0, colon);
      const std::string_view action = colon == std::string_view::npos ? "pause" : item.substr(colon + 1);
      points->actions[std::string(name)] = action == "fail-once" ? Action::kFailOnce : Action::kPause;
    }
    if (const char* release = std::getenv("TICKETD_FAILPOINT_RELEASE")) points->release_file = release;
    return points;
  }();
  return configured;
}

struct Hooks {
  std::atomic<bool> any{false};
  std::mutex mu;
  std::unordered_map<std::string, std::function<void()>> by_name;  // guarded by mu
};

Hooks& TestHooks() {
  static Hooks* const hooks = new Hooks();  // lives as long as the process
  return *hooks;
}

}  // namespace

void SetFailpointHook(std::string_view name, std::function<void()> hook) {
  Hooks& hooks = TestHooks();
  std::lock_guard lock(hooks.mu);
  if (hook) {
    hooks.by_name[std::string(name)] = std::move(hook);
  } else {
    hooks.by_name.erase(std::string(name));
  }
  hooks.any = !hooks.by_name.empty();
}

Status Failpoint(std::string_view name) {
  Hooks& hooks = TestHooks();
  if (hooks.any.load(std::memory_order_relaxed)) {
    std::function<void()> hook;
    {
      std::lock_guard lock(hooks.mu);
      if (auto it = hooks.by_name.find(std::string(name)); it != hooks.by_name.end()) hook = it->second;
    }
    if (hook) hook();
  }
  Failpoints* points = Configured();
  if (points == nullptr) return Status::Ok();
  Action action;
  {
    std::lock_guard lock(points->mu);
    auto it = points->actions.find(std::string(name));
    if (it == points->actions.end()) return Status::Ok();
    action = it->second;
    if (action == Action::kFailOnce) it->second = Action::kSpent;
  }
  switch (action) {
    case Action::kSpent:
      return Status::Ok();
    case Action::kFailOnce:
      std::fprintf(stderr, "ticketd: failpoint %.*s: failing once\n", static_cast<int>(name.size()), name.data());
      return Status::IOError("failpoint " + std::string(name));
    case Action::kPause:
      std::fprintf(stderr, "ticketd: failpoint %.*s: paused\n", static_cast<int>(name.size()), name.data());
      std::fflush(stderr);
      while (points->release_file.empty() || ::access(points->release_file.c_str(), F_OK) != 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::fprintf(stderr, "ticketd: failpoint %.*s: released\n", static_cast<int>(name.size()), name.data());
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace ticketd::eventstore

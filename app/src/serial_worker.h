// SerialWorker: one thread that runs posted jobs in order, for slow work
// that must stay off the HTTP threads and off the engine's writer (backups).
// Thread-safe: Post() from any thread. Stop() runs what was posted before it,
// then joins; Post() after Stop() returns false and runs nothing.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace ticketd::app {

class SerialWorker {
 public:
  SerialWorker();
  ~SerialWorker();  // Stop()s
  SerialWorker(const SerialWorker&) = delete;
  SerialWorker& operator=(const SerialWorker&) = delete;

  bool Post(std::function<void()> job);
  void Stop();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  bool stopping_ = false;                   // guarded by mu_
  std::thread thread_;
};

}  // namespace ticketd::app

#pragma once

// How a background thread steps aside for the writer and the HTTP threads.
// On Linux a thread's name, nice value, scheduling policy and I/O priority are
// its own, so each background thread sets them for itself when it starts.
namespace ticketd {

enum class BackgroundClass {
  // nice +10: runs beside the request path but yields to it (password hashing,
  // upload workers, snapshot rebuilds).
  kLowPriority,
  // nice +10, SCHED_IDLE and the idle I/O class: runs only on CPU time nothing
  // else wants. Only for threads that never take part in the event log's
  // RocksDB write groups or hold a lock the request path waits on: a
  // preempted idle thread there would hold the writer.
  kIdle,
};

// Names the calling thread (at most 15 characters, for top -H and the
// benches that look for it) and lowers its priority. Best effort: a refusal
// (a container's seccomp policy) is printed to stderr, tagged with `name`,
// and the thread runs on at the priority it got.
void RunThisThreadInBackground(const char* name, BackgroundClass how);

// For a kIdle thread that must read state under a lock the writer also takes
// (a read model's per-tenant lock): SCHED_OTHER at nice 0 (+10 where nice 0
// is refused: no CAP_SYS_NICE or RLIMIT_NICE) for the scope, back to
// SCHED_IDLE and +10 after it. Preempted while holding such a lock at
// SCHED_IDLE, the thread could wait milliseconds for CPU that busy normal
// threads keep, and the writer waits on the lock as long (priority
// inversion; measured: docs/performance.md, mailcost). Keep the scope to
// the lock's hold. A no-op on a thread that is not at SCHED_IDLE; best
// effort (a refusal of SCHED_OTHER is printed once).
class NormalSchedulingScope {
 public:
  NormalSchedulingScope();
  ~NormalSchedulingScope();
  NormalSchedulingScope(const NormalSchedulingScope&) = delete;
  NormalSchedulingScope& operator=(const NormalSchedulingScope&) = delete;

 private:
  bool raised_ = false;
  int saved_nice_ = 0;
};

}  // namespace ticketd

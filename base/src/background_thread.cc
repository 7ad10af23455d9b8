#include "ticketd/base/background_thread.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ticketd {
namespace {

void Complain(const char* name, const char* what) {
  std::fprintf(stderr, "ticketd: %s: cannot %s: %s\n", name, what, std::strerror(errno));
}

}  // namespace

void RunThisThreadInBackground(const char* name, BackgroundClass how) {
  pthread_setname_np(pthread_self(), name);
  const pid_t tid = ::gettid();
  // nice +10 first: it stays the floor where SCHED_IDLE is refused.
  if (::setpriority(PRIO_PROCESS, static_cast<id_t>(tid), 10) != 0) Complain(name, "lower the thread's priority");
  if (how != BackgroundClass::kIdle) return;
  const sched_param param{};
  if (::sched_setscheduler(tid, SCHED_IDLE, &param) != 0) Complain(name, "run the thread at SCHED_IDLE");
  // The idle I/O class queues its writes and syncs behind the WAL's (honoured
  // by the bfq and mq-deadline schedulers; ignored by none).
  constexpr int kIoprioWhoProcess = 1, kIoprioClassIdle = 3, kIoprioClassShift = 13;
  if (::syscall(SYS_ioprio_set, kIoprioWhoProcess, tid, kIoprioClassIdle << kIoprioClassShift) != 0)
    Complain(name, "give the thread the idle I/O class");
}

NormalSchedulingScope::NormalSchedulingScope() {
  if (::sched_getscheduler(0) != SCHED_IDLE) return;
  const id_t tid = static_cast<id_t>(::gettid());
  errno = 0;
  const int nice = ::getpriority(PRIO_PROCESS, tid);
  if (errno != 0) return;
  const sched_param param{};
  if (::sched_setscheduler(0, SCHED_OTHER, &param) != 0) {
    static std::atomic<bool> complained{false};
    if (!complained.exchange(true)) Complain("background thread", "leave SCHED_IDLE while it holds a lock");
    return;
  }
  raised_ = true;
  saved_nice_ = nice;
  // nice 0 where allowed (root, or RLIMIT_NICE): at +10 a preempted holder
  // still waits behind busy nice-0 threads. Else it stays at its +10.
  (void)::setpriority(PRIO_PROCESS, tid, 0);
}

NormalSchedulingScope::~NormalSchedulingScope() {
  if (!raised_) return;
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), saved_nice_);
  const sched_param param{};
  ::sched_setscheduler(0, SCHED_IDLE, &param);
}

}  // namespace ticketd

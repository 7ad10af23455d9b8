// Failpoints: named moments where a crash test can stop or fail the server,
// so "kill -9 while the erasure's flush starts" happens at exactly that
// moment instead of by chance.
//
//   TICKETD_FAILPOINT="name:pause[,name:fail-once...]"
//     pause      the thread that reaches `name` prints
//                "ticketd: failpoint NAME: paused" to stderr and waits until
//                the file named by TICKETD_FAILPOINT_RELEASE exists (forever
//                when that is unset: the test kills the process).
//     fail-once  the first time `name` is reached it returns IOError.
//
// Without the variable a failpoint costs one load of a static and does
// nothing. Thread-safe.
#pragma once

#include <functional>
#include <string_view>

#include "ticketd/base/status.h"

namespace ticketd::eventstore {

// Ok unless the environment set `name` to fail (once) or to pause (then Ok
// once released).
Status Failpoint(std::string_view name);

// For tests in the same process: while set, a thread reaching `name` runs
// `hook` there (before what the environment asks). An empty hook clears it.
void SetFailpointHook(std::string_view name, std::function<void()> hook);

}  // namespace ticketd::eventstore

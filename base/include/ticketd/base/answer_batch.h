// AnswerBatch: marks a stretch in which one thread hands out many answers in
// a row (the engine's writer completing a batch of commands), so that code
// forwarding each answer to another thread can wake that thread once, when
// the stretch ends, instead of once per answer (issue 16.2: a futex wake-up
// and a context switch per create). Thread-local; scopes nest, the
// outermost one's end runs what was deferred.
#pragma once

#include <functional>
#include <utility>
#include <vector>

namespace ticketd {

class AnswerBatch {
 public:
  AnswerBatch() { ++State().depth; }
  ~AnswerBatch() {
    ThreadState& state = State();
    if (--state.depth > 0) return;
    std::vector<std::function<void()>> deferred;
    deferred.swap(state.at_end);
    for (auto& flush : deferred) {
      try {
        flush();
      } catch (...) {  // out of memory while posting: nothing better to do in a destructor
      }
    }
  }
  AnswerBatch(const AnswerBatch&) = delete;
  AnswerBatch& operator=(const AnswerBatch&) = delete;

  // Inside a scope on this thread: keeps `flush` for the scope's end and
  // returns true. Outside one: false, and the caller flushes now.
  static bool DeferToEnd(std::function<void()> flush) {
    ThreadState& state = State();
    if (state.depth == 0) return false;
    state.at_end.push_back(std::move(flush));
    return true;
  }

 private:
  struct ThreadState {
    int depth = 0;
    std::vector<std::function<void()>> at_end;
  };
  static ThreadState& State() {
    thread_local ThreadState state;
    return state;
  }
};

}  // namespace ticketd

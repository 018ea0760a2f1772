#include "semaphore.hpp"

#include <algorithm>

#include "errors.hpp"
#include "monotonic_clock.hpp"
#include "spin_wait.hpp"

namespace ipclab {

void Semaphore::ensureOpen(const char* operation) const {
  if (closedOrUnmapped()) {
    throw UsageError("ERR_CLOSED", std::string("cannot ") + operation + " " + name_ +
                                       ": it (or the shared memory holding it) is closed");
  }
}

bool Semaphore::spinWait(int64_t spinMicros) {
  return tryWait() || spinUntil([this] { return tryWait(); }, spinMicros);
}

WaitResult Semaphore::wait(int64_t timeoutMs, bool cancellable) {
  const int64_t deadline = deadlineAfterMillis(timeoutMs);
  for (;;) {
    if (cancellable && closedOrUnmapped()) return WaitResult::Cancelled;
    if (tryWait()) return WaitResult::Acquired;
    if (deadline != kNever && monotonicNanos() >= deadline) return WaitResult::TimedOut;
    // A cancellable wait sleeps in slices, to look at closed() between them.
    const int64_t until = cancellable ? std::min(deadline, deadlineAfterMillis(kCancelSliceMs)) : deadline;
    if (sleepUntil(until)) return WaitResult::Acquired;
  }
}

}  // namespace ipclab

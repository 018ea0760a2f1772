// Busy-waiting, the first stage of every wait that is asked to spin (spinMicros).
#pragma once

#include <sched.h>

#include <cstdint>

#include "monotonic_clock.hpp"

namespace ipclab {

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Calls ready() until it returns true (then true) or spinMicros have passed (then false). The
// clock is read, and the core yielded, every 64 rounds (under a microsecond here): a peer that
// shares this core gets to run instead of being held off until the spin ends.
template <typename Ready>
bool spinUntil(Ready&& ready, int64_t spinMicros) {
  if (spinMicros <= 0) return false;
  const int64_t stop = deadlineAfterMicros(spinMicros);
  for (unsigned round = 1;; ++round) {
    if (ready()) return true;
    if (round % 64 == 0) {
      if (monotonicNanos() >= stop) return false;
      ::sched_yield();
    }
    cpuRelax();
  }
}

}  // namespace ipclab

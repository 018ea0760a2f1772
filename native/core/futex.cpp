#include "futex.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "monotonic_clock.hpp"

namespace ipclab::futex {

int wait(uint32_t* word, uint32_t expected, int64_t deadlineNanos) {
  // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline (null: forever).
  const timespec deadline = timespecOf(deadlineNanos);
  const timespec* until = deadlineNanos == kNever ? nullptr : &deadline;
  if (::syscall(SYS_futex, word, FUTEX_WAIT_BITSET, expected, until, nullptr, FUTEX_BITSET_MATCH_ANY) == 0) return 0;
  return errno;
}

void wake(uint32_t* word, int count) { ::syscall(SYS_futex, word, FUTEX_WAKE, count, nullptr, nullptr, 0); }

}  // namespace ipclab::futex

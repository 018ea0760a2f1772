// The futex calls of the in-segment semaphore and the channel. Shared (not FUTEX_PRIVATE) futexes:
// the words live in segments that several processes map.
#pragma once

#include <cstdint>

namespace ipclab::futex {

// Sleeps while *word == expected, until a wake or the absolute CLOCK_MONOTONIC deadline (kNever:
// none). Returns 0 when woken, else the errno: ETIMEDOUT, EAGAIN (*word had changed), EINTR, ...
int wait(uint32_t* word, uint32_t expected, int64_t deadlineNanos);

// Wakes up to `count` threads sleeping on word.
void wake(uint32_t* word, int count);

}  // namespace ipclab::futex

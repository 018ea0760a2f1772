// CLOCK_MONOTONIC, the clock of process.hrtime and performance.now: every native read of it goes
// through here. Deadlines are absolute monotonic nanoseconds; kNever is "no deadline".
#pragma once

#include <time.h>

#include <cstdint>

namespace ipclab {

constexpr int64_t kNever = INT64_MAX;

inline int64_t monotonicNanos() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

inline double monotonicSeconds() { return static_cast<double>(monotonicNanos()) * 1e-9; }

inline double monotonicMillis() { return static_cast<double>(monotonicNanos()) * 1e-6; }

// The deadline `micros` microseconds from now; kNever when micros is negative or beyond ~100 days
// (longer waits are forever in practice, and the sum cannot overflow).
inline int64_t deadlineAfterMicros(int64_t micros) {
  constexpr int64_t kLongest = int64_t{1} << 43;  // microseconds, ~100 days
  return micros < 0 || micros > kLongest ? kNever : monotonicNanos() + micros * 1000;
}

inline int64_t deadlineAfterMillis(int64_t millis) {
  return millis < 0 || millis > (int64_t{1} << 33) ? kNever : deadlineAfterMicros(millis * 1000);
}

// An absolute deadline as the timespec that futex and sem_clockwait take.
inline timespec timespecOf(int64_t nanos) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(nanos / 1000000000);
  ts.tv_nsec = static_cast<long>(nanos % 1000000000);
  return ts;
}

}  // namespace ipclab

// Seconds on CLOCK_MONOTONIC (the clock process.hrtime uses), for the native yardsticks.
#pragma once

#include <time.h>

namespace ipclab {

inline double monotonicSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace ipclab

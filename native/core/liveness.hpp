// Whether a process still runs, as /proc tells it: a zombie (state Z) or a dying process (X) is
// dead, and a start time recorded beside a pid tells a reused pid from the original
// (src/liveness.ts is the same rule in TypeScript).
#pragma once

#include <cstdint>

namespace ipclab::liveness {

// Field 22 of /proc/<pid>/stat: clock ticks after boot at which the process started; 0 when
// there is no such process.
int64_t startTimeOf(int pid);

// This process's start time (read each time: a forked child has its own).
int64_t ownStartTime();

// Whether process `pid` runs and is not a zombie. With a startTime (0: unknown), a process that
// started at another time is a different one that reused the pid, so the recorded one is dead.
bool isProcessAlive(int pid, int64_t startTime = 0);

}  // namespace ipclab::liveness

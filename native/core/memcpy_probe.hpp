// The machine's own limit for moving bytes: memcpy into a fresh allocation (page faults
// included, as a receiver's new array pays) and into warm memory.
#pragma once

#include <cstddef>

namespace ipclab {

struct MemcpyTiming {
  double freshSeconds;  // mmap + memcpy into untouched pages (the clock stops before munmap)
  double warmSeconds;   // memcpy into pages already faulted in
};

MemcpyTiming measureMemcpy(size_t bytes);

}  // namespace ipclab

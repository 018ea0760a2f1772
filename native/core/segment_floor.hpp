// The native two-process floor for moving a payload through shared memory: one process fills a
// fresh segment, another maps it read-only and reads every element. The benchmark runs the two
// halves in two processes and compares every transport's whole job with their sum.
#pragma once

#include <cstddef>
#include <string>

namespace ipclab {

// Creates `name` (exclusively, mode 0600) with `bytes` bytes, maps it and writes element i = i
// (8-byte elements, the tail bytes too). Seconds from shm_open until the last write; the clock
// stops before munmap. The segment is left for the reader; the caller unlinks it.
double fillFreshSegment(const std::string& name, size_t bytes);

struct SegmentRead {
  double seconds;  // shm_open until every element was read (the clock stops before munmap)
  bool verified;   // every element held what fillFreshSegment wrote
};

// Opens `name` read-only, maps it and reads every element, checking it.
SegmentRead readSegment(const std::string& name, size_t bytes);

}  // namespace ipclab

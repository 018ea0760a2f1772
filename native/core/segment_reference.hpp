// The native reference for moving a payload through shared memory between two processes, written
// the way a C programmer would for the best time on this kernel: the segment is created, sized
// and its pages reserved before the clock starts (as ipclab's receiver creates its channel before
// the ready barrier); one process maps it, populates the mapping (MADV_POPULATE_WRITE) and fills
// it; another maps it read-only, populates that mapping (MADV_POPULATE_READ) and reads every
// element. Measured here (6.18 kernel, 400 MB, medians of 3): produce 0.129 s plain first touch,
// 0.139 s MADV_POPULATE_WRITE, 0.174 s MAP_POPULATE; consume 0.078 s read-only plain, 0.068 s
// read-only + MADV_POPULATE_READ, 0.069 s MAP_POPULATE, 0.085 s read-write plain, 0.114 s
// read-write + MADV_POPULATE_WRITE. The write populate costs no more than a first touch on a day
// when faults are cheap and halves the fill when they are dear (1.2-1.6 s against ~0.7 s), so the
// producer keeps it (bench/reference-methods.c measures them all again). The benchmark runs the
// halves in two processes and divides every transport's whole job by their sum.
#pragma once

#include <cstddef>
#include <string>

namespace ipclab {

struct SegmentFill {
  double setupSeconds;    // shm_open, ftruncate and posix_fallocate: before the clock, as ipclab's own setup
  double produceSeconds;  // mmap, populate and write every element; the clock stops before munmap
};

// Creates `name` (exclusively, mode 0600) with `bytes` bytes, reserves its pages, maps it and
// writes element i = i (8-byte elements, the tail bytes too). The segment is left for the reader;
// the caller unlinks it. Test-only fault injection: IPCLAB_TEST_SLOW_REFERENCE_MS in the
// environment adds that many milliseconds of sleep inside the produce window (a reference made
// slow on purpose, to prove that a row beating it is flagged).
SegmentFill fillFreshSegment(const std::string& name, size_t bytes);

struct SegmentRead {
  double seconds;  // shm_open until every element was read (the clock stops before munmap)
  bool verified;   // every element held what fillFreshSegment wrote
};

// Opens `name` read-only, maps and populates it, and reads every element, checking it.
SegmentRead readSegment(const std::string& name, size_t bytes);

}  // namespace ipclab

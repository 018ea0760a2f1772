#include "memcpy_probe.hpp"

#include <time.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace ipclab {

namespace {

double now() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Buffer {
  explicit Buffer(size_t bytes) : data(static_cast<unsigned char*>(std::malloc(bytes == 0 ? 1 : bytes))) {
    if (!data) throw std::bad_alloc();
  }
  ~Buffer() { std::free(data); }
  unsigned char* data;
};

}  // namespace

MemcpyTiming measureMemcpy(size_t bytes) {
  Buffer source(bytes);
  std::memset(source.data, 0x5a, bytes);

  MemcpyTiming timing{};
  const double freshStart = now();
  {
    Buffer fresh(bytes);
    std::memcpy(fresh.data, source.data, bytes);
    // Keep the copy observable so the compiler cannot drop it.
    if (bytes > 0 && fresh.data[bytes - 1] != 0x5a) std::abort();
  }
  timing.freshSeconds = now() - freshStart;

  Buffer warm(bytes);
  std::memset(warm.data, 0, bytes);
  const double warmStart = now();
  std::memcpy(warm.data, source.data, bytes);
  timing.warmSeconds = now() - warmStart;
  if (bytes > 0 && warm.data[bytes - 1] != 0x5a) std::abort();
  return timing;
}

}  // namespace ipclab

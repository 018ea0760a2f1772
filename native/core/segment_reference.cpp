#include "segment_reference.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "errors.hpp"
#include "monotonic_clock.hpp"

namespace ipclab {

namespace {

// The byte at `offset` of the pattern: element i (8 bytes, little-endian) holds i.
unsigned char patternByte(size_t offset) {
  const uint64_t element = offset / sizeof(uint64_t);
  return static_cast<unsigned char>(element >> (8 * (offset % sizeof(uint64_t))));
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() { ::close(fd_); }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Maps every page of the range now (Linux 5.14+); an older kernel leaves them to fault on first use.
void populate(void* address, size_t length, bool forWriting) {
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
  ::madvise(address, length, forWriting ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
#else
  (void)address, (void)length, (void)forWriting;
#endif
}

// The test-only slowdown of the produce step (see fillFreshSegment); 0 when unset or not a number.
void sleepIfSlowedForTest() {
  const char* text = std::getenv("IPCLAB_TEST_SLOW_REFERENCE_MS");
  if (text == nullptr) return;
  const long millis = std::strtol(text, nullptr, 10);
  if (millis <= 0) return;
  timespec pause{millis / 1000, (millis % 1000) * 1000000L};
  while (::nanosleep(&pause, &pause) != 0 && errno == EINTR) {
  }
}

}  // namespace

SegmentFill fillFreshSegment(const std::string& name, size_t bytes) {
  const size_t length = bytes == 0 ? 1 : bytes;
  const double setupStart = monotonicSeconds();
  const int fd = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) throwSystemError(errno, "shm_open", name);
  Descriptor descriptor(fd);
  auto fail = [&](int err, const char* syscall) {
    ::shm_unlink(name.c_str());
    throwSystemError(err, syscall, name);
  };
  if (::ftruncate(fd, static_cast<off_t>(length)) != 0) fail(errno, "ftruncate");
  const int reserved = ::posix_fallocate(fd, 0, static_cast<off_t>(length));
  if (reserved != 0) fail(reserved, "posix_fallocate");
  const double start = monotonicSeconds();
  void* address = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) fail(errno, "mmap");
  populate(address, length, true);
  auto* elements = static_cast<uint64_t*>(address);
  const size_t count = bytes / sizeof(uint64_t);
  for (size_t i = 0; i < count; i++) elements[i] = i;
  auto* tail = static_cast<unsigned char*>(address);
  for (size_t offset = count * sizeof(uint64_t); offset < bytes; offset++) tail[offset] = patternByte(offset);
  sleepIfSlowedForTest();
  const double end = monotonicSeconds();
  ::munmap(address, length);
  return {start - setupStart, end - start};
}

SegmentRead readSegment(const std::string& name, size_t bytes) {
  const size_t length = bytes == 0 ? 1 : bytes;
  const double start = monotonicSeconds();
  const int fd = ::shm_open(name.c_str(), O_RDONLY, 0);
  if (fd < 0) throwSystemError(errno, "shm_open", name);
  Descriptor descriptor(fd);
  struct stat info {};
  if (::fstat(fd, &info) != 0) throwSystemError(errno, "fstat", name);
  if (static_cast<size_t>(info.st_size) < length) throwSystemError(EINVAL, "fstat (segment smaller than the bytes to read)", name);
  void* address = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) throwSystemError(errno, "mmap", name);
  populate(address, length, false);
  const auto* elements = static_cast<const uint64_t*>(address);
  const size_t count = bytes / sizeof(uint64_t);
  // Count mismatches rather than stopping at the first, so every element is read.
  size_t wrong = 0;
  for (size_t i = 0; i < count; i++) wrong += elements[i] != i;
  const auto* tail = static_cast<const unsigned char*>(address);
  for (size_t offset = count * sizeof(uint64_t); offset < bytes; offset++) wrong += tail[offset] != patternByte(offset);
  const double seconds = monotonicSeconds() - start;
  ::munmap(address, length);
  return {seconds, wrong == 0};
}

}  // namespace ipclab

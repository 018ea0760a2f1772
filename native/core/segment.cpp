#include "segment.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "errors.hpp"

namespace ipclab {

namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int retryOnInterrupt(int (*call)(int, off_t, off_t), int fd, off_t offset, off_t length) {
  int rc;
  do {
    rc = call(fd, offset, length);
  } while (rc == EINTR);
  return rc;
}

// Maps every page of [address, address + length) into this process now. The kernel populates the
// range when it can; one read per page from here follows, because on some VMs (this project's CI
// among them) the first user access to each page still traps after the kernel populated it, at
// ~10 us a page. Reads never change the bytes, so this is safe on a segment a peer has written.
// When the kernel could not populate a page (no memory for it: a read would be SIGBUS), nothing is
// touched and the pages fault in on first use; without the call (EINVAL, before Linux 5.14) only a
// writable mapping is touched, as its pages were reserved when it was created or opened.
void prefault(void* address, size_t length, bool writable) {
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
  const bool populated = ::madvise(address, length, writable ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) == 0;
  if (!populated && (errno != EINVAL || !writable)) return;
#else
  if (!writable) return;
#endif
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const volatile unsigned char* bytes = static_cast<const unsigned char*>(address);
  unsigned char sink = 0;
  for (size_t offset = 0; offset < length; offset += page) sink ^= bytes[offset];
  (void)sink;
}

}  // namespace

Mapping::Mapping(void* address, size_t length, bool writable)
    : address_(address), length_(length), writable_(writable) {}

Mapping::~Mapping() {
  std::lock_guard<std::mutex> lock(mutex_);
  unmapLocked();
}

bool Mapping::acquire() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closing_.load(std::memory_order_relaxed)) return false;
  ++users_;
  return true;
}

void Mapping::release() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (--users_ == 0 && closing_.load(std::memory_order_relaxed)) unmapLocked();
}

void Mapping::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closing_.store(true, std::memory_order_release);
  if (users_ == 0) unmapLocked();
}

void Mapping::unmapLocked() {
  if (unmapped_) return;
  unmapped_ = true;
  ::munmap(address_, length_);
}

Segment Segment::create(const std::string& name, size_t size, const CreateOptions& options) {
  int flags = O_RDWR | O_CREAT | (options.exclusive ? O_EXCL : 0);
  Fd fd(::shm_open(name.c_str(), flags, options.mode));
  if (fd.get() < 0) throwSystemError(errno, "shm_open", name);

  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throwSystemError(errno, "fstat", name);
  // Empty means this call made it (or a peer created it and has not sized it yet): we own it.
  const bool fresh = info.st_size == 0;
  auto undo = [&](int err, const char* syscall) {
    if (fresh) ::shm_unlink(name.c_str());
    throwSystemError(err, syscall, name);
  };
  if (fresh) {
    if (::fchmod(fd.get(), options.mode) != 0) undo(errno, "fchmod");
    if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) undo(errno, "ftruncate");
    // Reserve every page now: a full /dev/shm is ENOSPC here, never SIGBUS on first touch.
    int rc = retryOnInterrupt(::posix_fallocate, fd.get(), 0, static_cast<off_t>(size));
    if (rc != 0) undo(rc, "posix_fallocate");
  } else if (static_cast<size_t>(info.st_size) != size) {
    throw UsageError("ERR_SIZE_MISMATCH", "shared memory \"" + name + "\" already exists with size " +
                                              std::to_string(info.st_size) + ", not " + std::to_string(size) +
                                              "; open it with SharedMemory.open or use its size");
  }

  void* address = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (address == MAP_FAILED) {
    int err = errno;
    if (fresh) ::shm_unlink(name.c_str());
    throwMmapError(err, name);
  }
  if (options.populate) prefault(address, size, true);
  return Segment(name, std::make_shared<Mapping>(address, size, true), fresh);
}

Segment Segment::open(const std::string& name, bool readOnly, bool populate) {
  Fd fd(::shm_open(name.c_str(), readOnly ? O_RDONLY : O_RDWR, 0));
  if (fd.get() < 0) throwSystemError(errno, "shm_open", name);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) throwSystemError(errno, "fstat", name);
  if (info.st_size <= 0) {
    throw UsageError("ERR_EMPTY_SEGMENT", "shared memory \"" + name +
                                              "\" has size 0: its creator has not sized it yet; retry once it has");
  }
  const size_t size = static_cast<size_t>(info.st_size);
  if (!readOnly) {
    // A peer that sized the segment with ftruncate alone (Python does) left its pages unreserved:
    // on a full /dev/shm the first write to one would be SIGBUS. Reserve them now, so it is ENOSPC here.
    int rc = retryOnInterrupt(::posix_fallocate, fd.get(), 0, static_cast<off_t>(size));
    if (rc == ENOSPC) {
      throw SystemError(rc, "posix_fallocate", name,
                        "its creator sized it without reserving its pages, and /dev/shm has no room left for "
                        "them; free space in /dev/shm (or open it readOnly to read what is there)");
    }
    if (rc != 0 && rc != EOPNOTSUPP && rc != EINVAL) throwSystemError(rc, "posix_fallocate", name);
  }
  // Read-only opens map copy-on-write: a JS write lands in a private page instead of faulting the
  // process (an ArrayBuffer cannot be made read-only), and never reaches the segment.
  void* address = readOnly ? ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd.get(), 0)
                           : ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (address == MAP_FAILED) throwMmapError(errno, name);
  if (populate) prefault(address, size, !readOnly);
  return Segment(name, std::make_shared<Mapping>(address, size, !readOnly), false);
}

bool Segment::unlink(const std::string& name) {
  if (::shm_unlink(name.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  throwSystemError(errno, "shm_unlink", name);
}

}  // namespace ipclab

#include "semaphore.hpp"

#include <fcntl.h>
#include <sched.h>
#include <linux/futex.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "errors.hpp"

namespace ipclab {

static_assert(sizeof(SemaphoreWords) == 32, "the in-segment semaphore keeps the footprint of a sem_t");
static_assert(alignof(SemaphoreWords) == 8, "the in-segment semaphore keeps the alignment of a sem_t");

namespace {

std::string describeOffset(size_t offset) { return "semaphore at offset " + std::to_string(offset); }

SemaphoreWords* slotIn(const Mapping& mapping, size_t offset) {
  if (mapping.closed()) throw UsageError("ERR_CLOSED", "the shared memory holding this semaphore is closed");
  if (!mapping.writable()) {
    throw UsageError("ERR_READ_ONLY",
                     "a semaphore needs a writable segment, but this one is mapped read-only; open it without readOnly");
  }
  if (offset % Semaphore::kAlignment != 0 || offset > mapping.length() || mapping.length() - offset < Semaphore::kSize) {
    throw UsageError("ERR_OUT_OF_RANGE", describeOffset(offset) + " does not fit a " + std::to_string(Semaphore::kSize) +
                                             "-byte semaphore aligned to " + std::to_string(Semaphore::kAlignment) +
                                             " in a segment of " + std::to_string(mapping.length()) + " bytes");
  }
  return reinterpret_cast<SemaphoreWords*>(mapping.address() + offset);
}

timespec now() {
  timespec time{};
  ::clock_gettime(CLOCK_MONOTONIC, &time);
  return time;
}

timespec deadlineAfterMicros(int64_t micros) {
  timespec start = now();
  int64_t nanos = static_cast<int64_t>(start.tv_nsec) + (micros % 1000000) * 1000;
  timespec deadline{};
  deadline.tv_sec = start.tv_sec + static_cast<time_t>(micros / 1000000) + static_cast<time_t>(nanos / 1000000000);
  deadline.tv_nsec = static_cast<long>(nanos % 1000000000);
  return deadline;
}

timespec deadlineAfter(int64_t ms) {
  // Beyond 2^52 ms is forever in practice; keep the microseconds from overflowing.
  constexpr int64_t kMaxMs = int64_t{1} << 52;
  if (ms > kMaxMs) ms = kMaxMs;
  timespec deadline = deadlineAfterMicros((ms % 1000) * 1000);
  deadline.tv_sec += static_cast<time_t>(ms / 1000);
  return deadline;
}

bool before(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

// Peers share these words, so every access is atomic and sequentially consistent.
uint32_t load(const uint32_t& word) { return __atomic_load_n(&word, __ATOMIC_SEQ_CST); }
uint64_t load(const uint64_t& word) { return __atomic_load_n(&word, __ATOMIC_SEQ_CST); }
template <typename Word>
bool compareExchange(Word& word, Word& expected, Word desired) {
  return __atomic_compare_exchange_n(&word, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

// FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline (null: forever). Not private:
// the word is shared between processes.
long futexWait(uint32_t* word, uint32_t expected, const timespec* deadline) {
  return ::syscall(SYS_futex, word, FUTEX_WAIT_BITSET, expected, deadline, nullptr, FUTEX_BITSET_MATCH_ANY);
}

void futexWake(uint32_t* word, int count) { ::syscall(SYS_futex, word, FUTEX_WAKE, count, nullptr, nullptr, 0); }

// One unbound socket per process sends every ring.
int ringerSocket() {
  static const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  return fd;
}

}  // namespace

namespace doorbell {

unsigned addressOf(uint64_t id, sockaddr_un& address) {
  std::memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  // Abstract namespace: sun_path starts with NUL and the name is exactly the bytes that follow.
  int length = std::snprintf(address.sun_path + 1, sizeof address.sun_path - 1, "ipclab-doorbell-%016llx",
                             static_cast<unsigned long long>(id));
  return static_cast<unsigned>(offsetof(sockaddr_un, sun_path) + 1 + length);
}

Ring ring(uint64_t id) {
  int fd = ringerSocket();
  if (fd < 0) return Ring::Busy;
  sockaddr_un address{};
  socklen_t length = addressOf(id, address);
  const char byte = 1;
  if (::sendto(fd, &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address), length) == 1) {
    return Ring::Sent;
  }
  // A full queue already holds a ring; anything else means nobody is listening there.
  return errno == EAGAIN ? Ring::Busy : Ring::Gone;
}

}  // namespace doorbell

std::shared_ptr<Semaphore> Semaphore::create(const std::string& name, unsigned initial, unsigned mode, bool exclusive) {
  for (;;) {
    sem_t* sem = ::sem_open(name.c_str(), O_CREAT | O_EXCL, static_cast<mode_t>(mode), initial);
    if (sem != SEM_FAILED) {
      // sem_open applies the umask; give the new semaphore exactly the mode asked for, as segments get.
      const std::string file = "/dev/shm/sem." + name.substr(1);
      if (::chmod(file.c_str(), static_cast<mode_t>(mode)) != 0) {
        int err = errno;
        ::sem_close(sem);
        ::sem_unlink(name.c_str());
        throwSystemError(err, "chmod", name);
      }
      return std::shared_ptr<Semaphore>(new Semaphore(sem, nullptr, name, nullptr));
    }
    if (errno != EEXIST || exclusive) throwSystemError(errno, "sem_open", name);
    sem = ::sem_open(name.c_str(), 0);  // not exclusive: use the existing one, keeping its mode
    if (sem != SEM_FAILED) return std::shared_ptr<Semaphore>(new Semaphore(sem, nullptr, name, nullptr));
    if (errno != ENOENT) throwSystemError(errno, "sem_open", name);
    // Unlinked between the two calls: create it after all.
  }
}

std::shared_ptr<Semaphore> Semaphore::open(const std::string& name) {
  sem_t* sem = ::sem_open(name.c_str(), 0);
  if (sem == SEM_FAILED) throwSystemError(errno, "sem_open", name);
  return std::shared_ptr<Semaphore>(new Semaphore(sem, nullptr, name, nullptr));
}

bool Semaphore::unlink(const std::string& name) {
  if (::sem_unlink(name.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  throwSystemError(errno, "sem_unlink", name);
}

std::shared_ptr<Semaphore> Semaphore::createIn(std::shared_ptr<Mapping> mapping, size_t offset, unsigned initial) {
  SemaphoreWords* words = slotIn(*mapping, offset);
  if (initial > kValueMax) throwSystemError(EINVAL, "sem_init", describeOffset(offset));
  __atomic_store_n(&words->count, initial, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->sleepers, 0u, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->reserved, 0u, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->doorbell, uint64_t{0}, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->reserved2, uint64_t{0}, __ATOMIC_SEQ_CST);
  __atomic_store_n(&words->tag, kTag, __ATOMIC_SEQ_CST);  // last: a peer that sees it sees the rest
  return std::shared_ptr<Semaphore>(new Semaphore(nullptr, words, describeOffset(offset), std::move(mapping)));
}

std::shared_ptr<Semaphore> Semaphore::openIn(std::shared_ptr<Mapping> mapping, size_t offset) {
  SemaphoreWords* words = slotIn(*mapping, offset);
  auto semaphore = std::shared_ptr<Semaphore>(new Semaphore(nullptr, words, describeOffset(offset), std::move(mapping)));
  semaphore->checkedWords("open");
  return semaphore;
}

Semaphore::~Semaphore() { closeHandle(); }

void Semaphore::ensureOpen(const char* operation) const {
  if (closedOrUnmapped()) {
    throw UsageError("ERR_CLOSED", std::string("cannot ") + operation + " " + name_ +
                                       ": it (or the shared memory holding it) is closed");
  }
}

SemaphoreWords& Semaphore::checkedWords(const char* operation) {
  ensureOpen(operation);
  uint32_t tag = load(words_->tag);
  if (tag != kTag) {
    throw UsageError("ERR_CORRUPT_SEMAPHORE",
                     std::string("cannot ") + operation + " " + name_ + ": the bytes there are not an ipclab semaphore " +
                         "(it was never initialised with createIn, or another process overwrote it)");
  }
  return *words_;
}

uint32_t Semaphore::checkedCount(uint32_t count, const char* operation) const {
  if (count > kValueMax) {
    throw UsageError("ERR_CORRUPT_SEMAPHORE", std::string("cannot ") + operation + " " + name_ + ": its count reads " +
                                                  std::to_string(count) + ", above the largest a semaphore holds (" +
                                                  std::to_string(kValueMax) + "); another process overwrote it");
  }
  return count;
}

void Semaphore::post() {
  if (named_) {
    ensureOpen("post");
    if (::sem_post(named_) != 0) throwSystemError(errno, "sem_post", name_);
    return;
  }
  SemaphoreWords& words = checkedWords("post");
  uint32_t count = load(words.count);
  do {
    if (checkedCount(count, "post") == kValueMax) throwSystemError(EOVERFLOW, "sem_post", name_);
  } while (!compareExchange(words.count, count, count + 1));
  if (load(words.sleepers) != 0) futexWake(&words.count, 1);
  uint64_t bell = load(words.doorbell);
  if (bell != 0) doorbell::ring(bell);
}

bool Semaphore::tryWait() {
  if (named_) {
    ensureOpen("tryWait");
    while (::sem_trywait(named_) != 0) {
      if (errno == EAGAIN) return false;
      if (errno != EINTR) throwSystemError(errno, "sem_trywait", name_);
    }
    return true;
  }
  SemaphoreWords& words = checkedWords("tryWait");
  uint32_t count = load(words.count);
  do {
    if (checkedCount(count, "tryWait") == 0) return false;
  } while (!compareExchange(words.count, count, count - 1));
  return true;
}

bool Semaphore::spinWait(int64_t spinMicros) {
  if (tryWait()) return true;
  if (spinMicros <= 0) return false;
  const timespec stop = deadlineAfterMicros(spinMicros);
  for (unsigned round = 1;; ++round) {
    if (tryWait()) return true;
    if (round % 64 == 0) {
      if (!before(now(), stop)) return false;
      // Let the peer run if it shares this core: spinning on would hold it off until the spin ends.
      ::sched_yield();
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
}

int Semaphore::value() {
  if (named_) {
    ensureOpen("read");
    int current = 0;
    if (::sem_getvalue(named_, &current) != 0) throwSystemError(errno, "sem_getvalue", name_);
    return current;
  }
  return static_cast<int>(checkedCount(load(checkedWords("read").count), "read"));
}

WaitResult Semaphore::wait(int64_t timeoutMs, bool cancellable) {
  if (named_) return waitNamed(timeoutMs, cancellable);
  const bool forever = timeoutMs < 0;
  const timespec deadline = deadlineAfter(forever ? 0 : timeoutMs);
  for (;;) {
    if (cancellable && closedOrUnmapped()) return WaitResult::Cancelled;
    if (tryWait()) return WaitResult::Acquired;
    timespec sliceEnd = deadline;
    if (cancellable) {
      sliceEnd = deadlineAfter(kCancelSliceMs);
      if (!forever && before(deadline, sliceEnd)) sliceEnd = deadline;
    }
    SemaphoreWords& words = *words_;
    __atomic_add_fetch(&words.sleepers, 1, __ATOMIC_SEQ_CST);
    long rc = futexWait(&words.count, 0, (cancellable || !forever) ? &sliceEnd : nullptr);
    int err = errno;
    __atomic_sub_fetch(&words.sleepers, 1, __ATOMIC_SEQ_CST);
    // EAGAIN: the count changed before we slept; EINTR: a signal. Both just retry.
    if (rc != 0 && err != ETIMEDOUT && err != EAGAIN && err != EINTR) throwSystemError(err, "futex", name_);
    if (!forever && !before(now(), deadline)) return tryWait() ? WaitResult::Acquired : WaitResult::TimedOut;
  }
}

WaitResult Semaphore::waitNamed(int64_t timeoutMs, bool cancellable) {
  const bool forever = timeoutMs < 0;
  const timespec deadline = deadlineAfter(forever ? 0 : timeoutMs);
  for (;;) {
    if (cancellable && closedOrUnmapped()) return WaitResult::Cancelled;
    timespec sliceEnd{};
    if (cancellable) {
      sliceEnd = deadlineAfter(kCancelSliceMs);
      if (!forever && before(deadline, sliceEnd)) sliceEnd = deadline;
    } else if (!forever) {
      sliceEnd = deadline;
    }
    int rc = (cancellable || !forever) ? ::sem_clockwait(named_, CLOCK_MONOTONIC, &sliceEnd) : ::sem_wait(named_);
    if (rc == 0) return WaitResult::Acquired;
    if (errno == EINTR) continue;
    if (errno != ETIMEDOUT) throwSystemError(errno, "sem_clockwait", name_);
    if (!forever && !before(now(), deadline)) return WaitResult::TimedOut;
  }
}

bool Semaphore::armDoorbell(uint64_t id) {
  SemaphoreWords& words = checkedWords("wait on");
  uint64_t current = 0;
  if (compareExchange(words.doorbell, current, id) || current == id) return true;
  // Another process's doorbell: take over only when its socket is gone (that process died).
  if (doorbell::ring(current) != doorbell::Ring::Gone) return false;
  return compareExchange(words.doorbell, current, id);
}

void Semaphore::disarmDoorbell(uint64_t id) {
  // A closed handle still withdraws its doorbell while the memory is mapped.
  if (!words_ || (mapping_ && mapping_->closed())) return;
  uint64_t expected = id;
  compareExchange(words_->doorbell, expected, uint64_t{0});
}

bool Semaphore::acquireForWaiter() {
  if (closed()) return false;
  if (mapping_ && !mapping_->acquire()) return false;
  return true;
}

void Semaphore::releaseForWaiter() {
  if (mapping_) mapping_->release();
}

void Semaphore::close() {
  closed_.store(true, std::memory_order_release);
  // A named handle is closed by the destructor, once the last waiter thread has let go of it.
}

void Semaphore::closeHandle() {
  if (handleClosed_) return;
  handleClosed_ = true;
  if (named_) ::sem_close(named_);
}

}  // namespace ipclab

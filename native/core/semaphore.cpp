#include "semaphore.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <cerrno>
#include <climits>

#include "errors.hpp"

namespace ipclab {

namespace {

std::string describeOffset(size_t offset) { return "semaphore at offset " + std::to_string(offset); }

sem_t* slotIn(const Mapping& mapping, size_t offset) {
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
  return reinterpret_cast<sem_t*>(mapping.address() + offset);
}

timespec deadlineAfter(int64_t ms) {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  int64_t nanos = static_cast<int64_t>(now.tv_nsec) + (ms % 1000) * 1000000;
  timespec deadline{};
  deadline.tv_sec = now.tv_sec + static_cast<time_t>(ms / 1000) + static_cast<time_t>(nanos / 1000000000);
  deadline.tv_nsec = static_cast<long>(nanos % 1000000000);
  return deadline;
}

bool before(const timespec& a, const timespec& b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

}  // namespace

std::shared_ptr<Semaphore> Semaphore::create(const std::string& name, unsigned initial, unsigned mode, bool exclusive) {
  sem_t* sem = ::sem_open(name.c_str(), O_CREAT | (exclusive ? O_EXCL : 0), static_cast<mode_t>(mode), initial);
  if (sem == SEM_FAILED) throwSystemError(errno, "sem_open", name);
  return std::shared_ptr<Semaphore>(new Semaphore(sem, name, nullptr));
}

std::shared_ptr<Semaphore> Semaphore::open(const std::string& name) {
  sem_t* sem = ::sem_open(name.c_str(), 0);
  if (sem == SEM_FAILED) throwSystemError(errno, "sem_open", name);
  return std::shared_ptr<Semaphore>(new Semaphore(sem, name, nullptr));
}

bool Semaphore::unlink(const std::string& name) {
  if (::sem_unlink(name.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  throwSystemError(errno, "sem_unlink", name);
}

std::shared_ptr<Semaphore> Semaphore::createIn(std::shared_ptr<Mapping> mapping, size_t offset, unsigned initial) {
  sem_t* sem = slotIn(*mapping, offset);
  if (::sem_init(sem, 1, initial) != 0) throwSystemError(errno, "sem_init", describeOffset(offset));
  return std::shared_ptr<Semaphore>(new Semaphore(sem, describeOffset(offset), std::move(mapping)));
}

std::shared_ptr<Semaphore> Semaphore::openIn(std::shared_ptr<Mapping> mapping, size_t offset) {
  sem_t* sem = slotIn(*mapping, offset);
  return std::shared_ptr<Semaphore>(new Semaphore(sem, describeOffset(offset), std::move(mapping)));
}

Semaphore::~Semaphore() { closeHandle(); }

sem_t* Semaphore::checked(const char* operation) {
  if (closedOrUnmapped()) {
    throw UsageError("ERR_CLOSED", std::string("cannot ") + operation + " " + name_ +
                                       ": it (or the shared memory holding it) is closed");
  }
  return sem_;
}

void Semaphore::post() {
  if (::sem_post(checked("post")) != 0) throwSystemError(errno, "sem_post", name_);
}

bool Semaphore::tryWait() {
  sem_t* sem = checked("tryWait");
  while (::sem_trywait(sem) != 0) {
    if (errno == EAGAIN) return false;
    if (errno != EINTR) throwSystemError(errno, "sem_trywait", name_);
  }
  return true;
}

int Semaphore::value() {
  int current = 0;
  if (::sem_getvalue(checked("read"), &current) != 0) throwSystemError(errno, "sem_getvalue", name_);
  return current;
}

WaitResult Semaphore::wait(int64_t timeoutMs, bool cancellable) {
  sem_t* sem = sem_;
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
    int rc = (cancellable || !forever) ? ::sem_clockwait(sem, CLOCK_MONOTONIC, &sliceEnd) : ::sem_wait(sem);
    if (rc == 0) return WaitResult::Acquired;
    if (errno == EINTR) continue;
    if (errno != ETIMEDOUT) throwSystemError(errno, "sem_clockwait", name_);
    if (!forever) {
      timespec now{};
      ::clock_gettime(CLOCK_MONOTONIC, &now);
      if (!before(now, deadline)) return WaitResult::TimedOut;
    }
  }
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
  if (!mapping_) ::sem_close(sem_);
}

}  // namespace ipclab

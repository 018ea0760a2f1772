#include "named_semaphore.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <cerrno>

#include "errors.hpp"
#include "monotonic_clock.hpp"

namespace ipclab {

std::shared_ptr<NamedSemaphore> NamedSemaphore::create(const std::string& name, unsigned initial, unsigned mode,
                                                       bool exclusive) {
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
      return std::shared_ptr<NamedSemaphore>(new NamedSemaphore(sem, name));
    }
    if (errno != EEXIST || exclusive) throwSystemError(errno, "sem_open", name);
    sem = ::sem_open(name.c_str(), 0);  // not exclusive: use the existing one, keeping its mode
    if (sem != SEM_FAILED) return std::shared_ptr<NamedSemaphore>(new NamedSemaphore(sem, name));
    if (errno != ENOENT) throwSystemError(errno, "sem_open", name);
    // Unlinked between the two calls: create it after all.
  }
}

std::shared_ptr<NamedSemaphore> NamedSemaphore::open(const std::string& name) {
  sem_t* sem = ::sem_open(name.c_str(), 0);
  if (sem == SEM_FAILED) throwSystemError(errno, "sem_open", name);
  return std::shared_ptr<NamedSemaphore>(new NamedSemaphore(sem, name));
}

bool NamedSemaphore::unlink(const std::string& name) {
  if (::sem_unlink(name.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  throwSystemError(errno, "sem_unlink", name);
}

NamedSemaphore::~NamedSemaphore() { ::sem_close(sem_); }

void NamedSemaphore::post() {
  ensureOpen("post");
  if (::sem_post(sem_) != 0) throwSystemError(errno, "sem_post", name());
}

bool NamedSemaphore::tryWait() {
  ensureOpen("tryWait");
  while (::sem_trywait(sem_) != 0) {
    if (errno == EAGAIN) return false;
    if (errno != EINTR) throwSystemError(errno, "sem_trywait", name());
  }
  return true;
}

int NamedSemaphore::value() {
  ensureOpen("read");
  int current = 0;
  if (::sem_getvalue(sem_, &current) != 0) throwSystemError(errno, "sem_getvalue", name());
  return current;
}

bool NamedSemaphore::sleepUntil(int64_t deadlineNanos) {
  const timespec deadline = timespecOf(deadlineNanos);
  const int rc = deadlineNanos == kNever ? ::sem_wait(sem_) : ::sem_clockwait(sem_, CLOCK_MONOTONIC, &deadline);
  if (rc == 0) return true;
  if (errno != EINTR && errno != ETIMEDOUT) throwSystemError(errno, "sem_clockwait", name());
  return false;
}

}  // namespace ipclab

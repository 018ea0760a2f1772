// A POSIX named semaphore (sem_open), as any other program on the machine can open it.
#pragma once

#include <semaphore.h>

#include <memory>
#include <string>

#include "semaphore.hpp"

namespace ipclab {

class NamedSemaphore final : public Semaphore {
 public:
  // name is normalised (a leading '/'); mode is applied exactly, whatever the umask.
  static std::shared_ptr<NamedSemaphore> create(const std::string& name, unsigned initial, unsigned mode, bool exclusive);
  static std::shared_ptr<NamedSemaphore> open(const std::string& name);
  // false when nothing had that name.
  static bool unlink(const std::string& name);

  ~NamedSemaphore() override;

  void post() override;
  bool tryWait() override;
  int value() override;

 protected:
  bool sleepUntil(int64_t deadlineNanos) override;

 private:
  NamedSemaphore(sem_t* sem, std::string name) : Semaphore(std::move(name)), sem_(sem) {}
  sem_t* sem_;
};

}  // namespace ipclab

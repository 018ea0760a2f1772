// POSIX semaphores, named (sem_open) or living inside a mapped segment (sem_init, pshared).
#pragma once

#include <semaphore.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "segment.hpp"

namespace ipclab {

enum class WaitResult { Acquired, TimedOut, Cancelled };

class Semaphore {
 public:
  static constexpr size_t kSize = sizeof(sem_t);
  static constexpr size_t kAlignment = alignof(sem_t);

  static std::shared_ptr<Semaphore> create(const std::string& name, unsigned initial, unsigned mode, bool exclusive);
  static std::shared_ptr<Semaphore> open(const std::string& name);
  static bool unlink(const std::string& name);
  // Initialises a new process-shared semaphore at offset, or attaches to one a peer initialised.
  static std::shared_ptr<Semaphore> createIn(std::shared_ptr<Mapping> mapping, size_t offset, unsigned initial);
  static std::shared_ptr<Semaphore> openIn(std::shared_ptr<Mapping> mapping, size_t offset);

  ~Semaphore();
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  const std::string& name() const { return name_; }
  bool closed() const { return closed_.load(std::memory_order_acquire); }

  void post();
  bool tryWait();
  int value();
  // Blocks up to timeoutMs (negative: forever), retrying EINTR. A cancellable wait returns
  // Cancelled within kCancelSliceMs of close() on the semaphore or on its segment.
  WaitResult wait(int64_t timeoutMs, bool cancellable);

  // Pins the semaphore's memory for a waiter thread; false once closed.
  bool acquireForWaiter();
  void releaseForWaiter();
  void close();
  bool closedOrUnmapped() const { return closed() || (mapping_ && mapping_->closed()); }

  static constexpr int64_t kCancelSliceMs = 50;

 private:
  Semaphore(sem_t* sem, std::string name, std::shared_ptr<Mapping> mapping)
      : sem_(sem), name_(std::move(name)), mapping_(std::move(mapping)) {}
  sem_t* checked(const char* operation);
  void closeHandle();

  sem_t* sem_;
  std::string name_;
  std::shared_ptr<Mapping> mapping_;  // null for a named semaphore
  std::atomic<bool> closed_{false};
  bool handleClosed_ = false;
};

}  // namespace ipclab

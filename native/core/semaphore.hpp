// What every counting semaphore of ipclab offers, whichever kind it is: named ones are POSIX
// (named_semaphore.hpp), in-segment ones ipclab's own futex semaphore (futex_semaphore.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace ipclab {

enum class WaitResult { Acquired, TimedOut, Cancelled };

class Semaphore {
 public:
  virtual ~Semaphore() = default;
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // A cancellable wait notices close() within this long.
  static constexpr int64_t kCancelSliceMs = 50;

  const std::string& name() const { return name_; }
  bool closed() const { return closed_.load(std::memory_order_acquire); }
  // Closed, or the memory holding it is.
  virtual bool closedOrUnmapped() const { return closed(); }

  virtual void post() = 0;
  virtual bool tryWait() = 0;
  virtual int value() = 0;
  // Retries tryWait() for up to spinMicros (busy, on this thread); true once a unit is taken.
  bool spinWait(int64_t spinMicros);
  // Blocks up to timeoutMs (negative: forever) on CLOCK_MONOTONIC, retrying EINTR. A cancellable
  // wait returns Cancelled within kCancelSliceMs of close() on the semaphore or on its segment.
  WaitResult wait(int64_t timeoutMs, bool cancellable);

  // Publishes (or withdraws) a doorbell id that post() rings; false when this semaphore cannot
  // (a named one) or another live doorbell holds it.
  virtual bool armDoorbell(uint64_t) { return false; }
  virtual void disarmDoorbell(uint64_t) {}

  // Pins the semaphore's memory for a waiter thread; false once closed.
  virtual bool acquireForWaiter() { return !closed(); }
  virtual void releaseForWaiter() {}
  // Marks it closed; the handle itself is let go by the destructor, once waiter threads are done.
  void close() { closed_.store(true, std::memory_order_release); }

 protected:
  explicit Semaphore(std::string name) : name_(std::move(name)) {}
  // ERR_CLOSED when closed or unmapped.
  void ensureOpen(const char* operation) const;
  // Sleeps until a unit may be free, or the absolute monotonic deadline (kNever: none); true when
  // the sleep itself took a unit.
  virtual bool sleepUntil(int64_t deadlineNanos) = 0;

 private:
  std::string name_;
  std::atomic<bool> closed_{false};
};

}  // namespace ipclab

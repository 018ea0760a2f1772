// Counting semaphores: named ones are POSIX (sem_open); in-segment ones are ipclab's own futex
// semaphore, whose every word is checked, so no byte pattern a peer writes can crash this process.
#pragma once

#include <semaphore.h>
#include <sys/un.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "segment.hpp"

namespace ipclab {

enum class WaitResult { Acquired, TimedOut, Cancelled };

// The words of an in-segment semaphore, shared with peers and therefore untrusted.
struct SemaphoreWords {
  uint32_t tag;       // kSemaphoreTag once initialised
  uint32_t count;     // the value; the futex word
  uint32_t sleepers;  // threads blocked in FUTEX_WAIT on count
  uint32_t reserved;
  uint64_t doorbell;  // id of a waiting process's doorbell socket that post() rings (0: none)
  uint64_t reserved2;
};

// A doorbell is a datagram socket in the abstract Unix namespace (no file; it vanishes with its
// process) that an event loop polls. Its 64-bit id is all a peer needs to ring it.
namespace doorbell {
// Fills address with the doorbell's name; returns the address length for bind/sendto.
unsigned addressOf(uint64_t id, sockaddr_un& address);
enum class Ring { Sent, Gone, Busy };
// Sends one byte without blocking: Gone when no socket has that id (its process died).
Ring ring(uint64_t id);
}  // namespace doorbell

class Semaphore {
 public:
  // In-segment footprint, as sizeof(sem_t) was before, so channel offsets are unchanged.
  static constexpr size_t kSize = sizeof(SemaphoreWords);
  static constexpr size_t kAlignment = alignof(SemaphoreWords);
  static constexpr uint32_t kTag = 0x53435049;  // "IPCS" little-endian
  static constexpr uint32_t kValueMax = 0x7fffffff;  // SEM_VALUE_MAX on Linux

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
  bool inSegment() const { return words_ != nullptr; }

  void post();
  bool tryWait();
  // Retries tryWait() for up to spinMicros (busy, on this thread); true once a unit is taken.
  bool spinWait(int64_t spinMicros);
  int value();
  // Blocks up to timeoutMs (negative: forever) on CLOCK_MONOTONIC, retrying EINTR. A cancellable
  // wait returns Cancelled within kCancelSliceMs of close() on the semaphore or on its segment.
  WaitResult wait(int64_t timeoutMs, bool cancellable);

  // In-segment only: publish (or withdraw) a doorbell id that post() rings. armDoorbell returns
  // false when another live doorbell holds the semaphore.
  bool armDoorbell(uint64_t id);
  void disarmDoorbell(uint64_t id);

  // Pins the semaphore's memory for a waiter thread; false once closed.
  bool acquireForWaiter();
  void releaseForWaiter();
  void close();
  bool closedOrUnmapped() const { return closed() || (mapping_ && mapping_->closed()); }

  static constexpr int64_t kCancelSliceMs = 50;

 private:
  Semaphore(sem_t* named, SemaphoreWords* words, std::string name, std::shared_ptr<Mapping> mapping)
      : named_(named), words_(words), name_(std::move(name)), mapping_(std::move(mapping)) {}
  void ensureOpen(const char* operation) const;
  // The in-segment words after checking they hold a semaphore; ERR_CORRUPT_SEMAPHORE otherwise.
  SemaphoreWords& checkedWords(const char* operation);
  uint32_t checkedCount(uint32_t count, const char* operation) const;
  WaitResult waitNamed(int64_t timeoutMs, bool cancellable);
  void closeHandle();

  sem_t* named_;          // named semaphore, or null
  SemaphoreWords* words_;  // in-segment semaphore, or null
  std::string name_;
  std::shared_ptr<Mapping> mapping_;  // null for a named semaphore
  std::atomic<bool> closed_{false};
  bool handleClosed_ = false;
};

}  // namespace ipclab

// ipclab's in-segment semaphore: a counting semaphore on a futex word inside a shared segment.
// Peers share its words, so every one is checked: no byte pattern a peer writes can crash this
// process. post() also rings the doorbell of an event loop that waits on it (doorbell.hpp).
#pragma once

#include <cstdint>
#include <memory>

#include "segment.hpp"
#include "semaphore.hpp"

namespace ipclab {

// The words of an in-segment semaphore, shared with peers and therefore untrusted.
struct SemaphoreWords {
  uint32_t tag;       // FutexSemaphore::kTag once initialised
  uint32_t count;     // the value; the futex word
  uint32_t sleepers;  // threads blocked in FUTEX_WAIT on count
  uint32_t reserved;
  uint64_t doorbell;  // id of a waiting process's doorbell socket that post() rings (0: none)
  uint64_t reserved2;
};

class FutexSemaphore final : public Semaphore {
 public:
  // In-segment footprint, as sizeof(sem_t) was before, so existing layouts are unchanged.
  static constexpr size_t kSize = sizeof(SemaphoreWords);
  static constexpr size_t kAlignment = alignof(SemaphoreWords);
  static constexpr uint32_t kTag = 0x53435049;       // "IPCS" little-endian
  static constexpr uint32_t kValueMax = 0x7fffffff;  // SEM_VALUE_MAX on Linux

  // Initialises a new process-shared semaphore at offset, or attaches to one a peer initialised.
  static std::shared_ptr<FutexSemaphore> createIn(std::shared_ptr<Mapping> mapping, size_t offset, unsigned initial);
  static std::shared_ptr<FutexSemaphore> openIn(std::shared_ptr<Mapping> mapping, size_t offset);

  bool closedOrUnmapped() const override { return closed() || mapping_->closed(); }
  void post() override;
  bool tryWait() override;
  int value() override;
  bool armDoorbell(uint64_t id) override;
  void disarmDoorbell(uint64_t id) override;
  bool acquireForWaiter() override { return !closed() && mapping_->acquire(); }
  void releaseForWaiter() override { mapping_->release(); }

 protected:
  bool sleepUntil(int64_t deadlineNanos) override;

 private:
  FutexSemaphore(SemaphoreWords* words, size_t offset, std::shared_ptr<Mapping> mapping);
  // The words after checking they hold a semaphore; ERR_CORRUPT_SEMAPHORE otherwise.
  SemaphoreWords& checkedWords(const char* operation);
  uint32_t checkedCount(uint32_t count, const char* operation) const;

  SemaphoreWords* words_;
  std::shared_ptr<Mapping> mapping_;
};

}  // namespace ipclab

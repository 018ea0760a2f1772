#include "channel_wake.hpp"

#include <climits>

#include "channel_layout.hpp"
#include "doorbell.hpp"
#include "futex.hpp"

namespace ipclab::channel {

uint32_t wakeWaiter(unsigned char* header, uint32_t waitingOffset) {
  auto* waiting = reinterpret_cast<uint32_t*>(header + waitingOffset);
  // The load first: a side that is not asleep costs the waker no write to a shared line.
  if (__atomic_load_n(waiting, __ATOMIC_SEQ_CST) == 0) return 0;
  const uint32_t bits = __atomic_exchange_n(waiting, 0u, __ATOMIC_SEQ_CST);
  if (bits & kWaitFutex) {
    auto* sequence = reinterpret_cast<uint32_t*>(header + waitingOffset + kWakeSequenceDelta);
    __atomic_add_fetch(sequence, 1u, __ATOMIC_SEQ_CST);
    futex::wake(sequence, INT_MAX);
  }
  if (bits & kWaitDoorbell) {
    auto* id = reinterpret_cast<uint64_t*>(header + waitingOffset + kDoorbellDelta);
    const uint64_t bell = __atomic_load_n(id, __ATOMIC_SEQ_CST);
    if (bell != 0) doorbell::ring(bell);
  }
  return bits;
}

}  // namespace ipclab::channel

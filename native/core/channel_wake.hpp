// The waker's half of the channel's wake-up protocol (docs/channel-protocol.md, "Waking"), shared by
// every implementation in this repository: wake a side only when its waiting word says it sleeps.
#pragma once

#include <cstdint>

namespace ipclab::channel {

// `header` is a mapped channel header; `waitingOffset` is kConsumerWaitingOffset or
// kProducerWaitingOffset. Clears the waiting word and wakes whoever it names: a futex sleeper
// (bump its wake sequence, FUTEX_WAKE) and/or an event loop's doorbell. Returns the bits it cleared.
uint32_t wakeWaiter(unsigned char* header, uint32_t waitingOffset);

}  // namespace ipclab::channel

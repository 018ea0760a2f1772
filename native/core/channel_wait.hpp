// The sleeper's half of the channel's wake-up protocol (docs/channel-protocol.md, "Waking"), for
// the translation units of Channel: spin, then say "I sleep" in the waiting line, look again, and
// sleep on the futex wake sequence in slices, checking the peer between them.
#pragma once

#include <algorithm>
#include <cerrno>

#include "channel.hpp"
#include "errors.hpp"
#include "futex.hpp"
#include "monotonic_clock.hpp"
#include "spin_wait.hpp"

namespace ipclab {

// A call's deadline, read from the clock only once the call has to wait.
class Channel::Deadline {
 public:
  explicit Deadline(int64_t timeoutMs) : timeoutMs_(timeoutMs) {}
  bool immediate() const { return timeoutMs_ == 0; }
  int64_t at() {
    if (at_ == kUnknown) at_ = deadlineAfterMillis(timeoutMs_);
    return at_;
  }

 private:
  static constexpr int64_t kUnknown = -1;
  int64_t timeoutMs_;
  int64_t at_ = kUnknown;
};

UsageError channelError(const char* code, const std::string& channel, const std::string& what);

template <typename Ready>
void Channel::waitUntil(channel::Role role, Deadline& deadline, const char* what, Ready&& ready) {
  using namespace channel;
  const auto timedOut = [&] {
    return UsageError("ERR_TIMEOUT", std::string("timed out waiting for ") + what + " on channel \"" + name_ + "\"");
  };
  if (deadline.immediate()) {
    if (ready()) return;
    checkPeer(role, false);
    throw timedOut();
  }
  const int64_t at = deadline.at();
  const int64_t spin = at == kNever ? spinMicros_ : std::min(spinMicros_, (at - monotonicNanos()) / 1000);
  if (spinUntil(ready, spin)) return;
  const uint32_t waitingOffset = role == Role::Consumer ? kConsumerWaitingOffset : kProducerWaitingOffset;
  uint32_t* waiting = shape_.word(waitingOffset);
  uint32_t* sequence = shape_.word(waitingOffset + kWakeSequenceDelta);
  const uint32_t peerClosed = role == Role::Consumer ? kProducerClosed : kConsumerClosed;
  const auto stopWaiting = [&] {
    if (__atomic_load_n(waiting, __ATOMIC_SEQ_CST) != 0) __atomic_exchange_n(waiting, 0u, __ATOMIC_SEQ_CST);
  };
  try {
    for (bool sliceEnded = false;;) {
      if (ready()) break;
      if (interrupted_.load(std::memory_order_seq_cst)) {
        throw UsageError("ERR_CLOSED", "channel \"" + name_ + "\" was interrupted while waiting for " + what);
      }
      checkPeer(role, sliceEnded);  // a slice that ended without a wake-up asks whether the peer still runs
      const int64_t now = monotonicNanos();
      if (now >= at) throw timedOut();
      // Sleeper steps 1-3: the sequence, then (a consumer) head and "I sleep", then look again.
      const uint32_t seen = __atomic_load_n(sequence, __ATOMIC_SEQ_CST);
      if (role == Role::Consumer && reader_.unreleased()) reader_.release();
      __atomic_store_n(waiting, kWaitFutex, __ATOMIC_SEQ_CST);
      if (ready() || interrupted_.load(std::memory_order_seq_cst) ||
          (__atomic_load_n(shape_.word(kStateOffset), __ATOMIC_SEQ_CST) & peerClosed)) {
        stopWaiting();
        continue;
      }
      // Step 4: sleep at most a slice; a wake-up that came after step 1 makes this return at once.
      const int err = futex::wait(sequence, seen, std::min(at, now + kLivenessSliceMs * 1000000));
      if (err != 0 && err != ETIMEDOUT && err != EAGAIN && err != EINTR) throw SystemError(err, "futex", name_);
      sliceEnded = err == ETIMEDOUT;
    }
  } catch (...) {
    stopWaiting();
    throw;
  }
  stopWaiting();
}

}  // namespace ipclab

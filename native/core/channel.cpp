// Channel: creating and opening (docs/channel-protocol.md, "Creating and opening"), roles, the
// peer checks every wait makes, and closing. Sending is in channel_send.cpp, receiving in
// channel_receive.cpp, the wait itself in channel_wait.hpp.
#include "channel.hpp"

#include "channel_wait.hpp"
#include "channel_wake.hpp"

namespace ipclab {

using namespace channel;

namespace {

std::string normalized(const std::string& name) { return !name.empty() && name[0] == '/' ? name : "/" + name; }

bool validRingBytes(uint64_t bytes) {
  return bytes >= kMinRingBytes && bytes <= kMaxRingBytes && (bytes & (bytes - 1)) == 0;
}

void checkSpinMicros(int64_t spinMicros) {
  if (spinMicros < 0 || spinMicros > Channel::kMaxSpinMicros) {
    throw UsageError("ERR_OUT_OF_RANGE", "spinMicros must be from 0 to " + std::to_string(Channel::kMaxSpinMicros) +
                                             " microseconds, got " + std::to_string(spinMicros));
  }
}

}  // namespace

UsageError channelError(const char* code, const std::string& channel, const std::string& what) {
  return UsageError(code, what + " (channel \"" + channel + "\")");
}

std::unique_ptr<Channel> Channel::create(const std::string& name, const ChannelCreateOptions& options) {
  if (!validRingBytes(options.ringBytes)) {
    throw UsageError("ERR_OUT_OF_RANGE", "ringBytes must be a power of two from " + std::to_string(kMinRingBytes) +
                                             " to " + std::to_string(kMaxRingBytes) + ", got " +
                                             std::to_string(options.ringBytes));
  }
  checkSpinMicros(options.spinMicros);
  const std::string path = normalized(name);
  CreateOptions segmentOptions;
  segmentOptions.mode = options.mode;
  segmentOptions.populate = options.populate;
  Segment segment = Segment::create(path, kHeaderBytes + options.ringBytes, segmentOptions);
  try {
    // A fresh segment reads zero: counters, waiting lines and the handle table start there.
    unsigned char* header = segment.mapping()->address();
    __atomic_store_n(reinterpret_cast<uint32_t*>(header + kVersionOffset), kVersion, __ATOMIC_RELAXED);
    __atomic_store_n(reinterpret_cast<uint32_t*>(header + kRingBytesOffset), options.ringBytes, __ATOMIC_RELAXED);
    // The magic goes last: a peer that sees it sees an initialised header.
    __atomic_store_n(reinterpret_cast<uint32_t*>(header + kMagicOffset), kMagic, __ATOMIC_RELEASE);
    return std::unique_ptr<Channel>(new Channel(path, std::move(segment), options.ringBytes, options.spinMicros));
  } catch (...) {
    segment.mapping()->close();
    Segment::unlink(path);
    throw;
  }
}

std::unique_ptr<Channel> Channel::open(const std::string& name, const ChannelOpenOptions& options) {
  checkSpinMicros(options.spinMicros);
  const std::string path = normalized(name);
  const auto bad = [&](const std::string& why) {
    return UsageError("ERR_BAD_CHANNEL", "\"" + path + "\" is not a usable ipclab channel: " + why);
  };
  Segment segment = [&] {
    try {
      return Segment::open(path, false, options.populate);
    } catch (const UsageError& error) {
      if (error.code() == "ERR_EMPTY_SEGMENT") throw bad("it is 0 bytes, smaller than a channel header (or its creator has not sized it yet)");
      throw;
    }
  }();
  const Mapping& mapping = *segment.mapping();
  const unsigned char* header = mapping.address();
  if (mapping.length() < kHeaderBytes) {
    throw bad("it is " + std::to_string(mapping.length()) + " bytes, smaller than a channel header");
  }
  if (__atomic_load_n(reinterpret_cast<const uint32_t*>(header + kMagicOffset), __ATOMIC_ACQUIRE) != kMagic) {
    throw bad("no channel magic (not a channel, or its creator has not finished initialising it)");
  }
  const uint32_t version = __atomic_load_n(reinterpret_cast<const uint32_t*>(header + kVersionOffset), __ATOMIC_RELAXED);
  if (version != kVersion) {
    throw bad("layout version " + std::to_string(version) + ", this ipclab reads version " + std::to_string(kVersion));
  }
  const uint32_t ringBytes = __atomic_load_n(reinterpret_cast<const uint32_t*>(header + kRingBytesOffset), __ATOMIC_RELAXED);
  if (!validRingBytes(ringBytes) || kHeaderBytes + uint64_t{ringBytes} > mapping.length()) {
    throw bad("its ring of " + std::to_string(ringBytes) + " bytes is not a power of two from " + std::to_string(kMinRingBytes) +
              " to 2^30 that fits its " + std::to_string(mapping.length()) + " bytes");
  }
  // The ring's size as checked, never read again: a peer rewriting it cannot move this side's bounds.
  return std::unique_ptr<Channel>(new Channel(path, std::move(segment), ringBytes, options.spinMicros));
}

Channel::Channel(std::string name, Segment segment, uint32_t ringBytes, int64_t spinMicros)
    : name_(std::move(name)),
      segment_(std::move(segment)),
      shape_{segment_.mapping()->address(), segment_.mapping()->address() + kHeaderBytes, ringBytes, &name_},
      handles_(shape_.header, name_, kNever),
      writer_(shape_),
      reader_(shape_),
      spinMicros_(spinMicros) {}

Channel::~Channel() { close(); }

void Channel::enter(Role role, Deadline& deadline) {
  if (closed_) throw UsageError("ERR_CLOSED", "channel \"" + name_ + "\" is closed");
  if (hasRole_ && role_ != role) {
    throw channelError("ERR_WRONG_STATE", name_, std::string("this side is the ") + roleName(role_) +
                                                     "; a channel carries data one way, so use a second channel for replies");
  }
  if (hasRole_) return;
  // The table's lock is held for microseconds by a healthy peer: a call that does not wait still
  // waits for it, up to a liveness slice.
  handles_.claim(role, deadline.immediate() ? deadlineAfterMillis(kLivenessSliceMs) : deadline.at());
  role_ = role;
  hasRole_ = true;
  if (role == Role::Producer) writer_.start();
  else reader_.start();
  updateGate();
}

void Channel::updateGate() {
  gate_ = Gate::None;
  if (closed_ || !hasRole_) return;
  if (role_ == Role::Producer && !reserved_ && !chunking_) gate_ = Gate::Producer;
  if (role_ == Role::Consumer && !inPlace_ && receiving_ == nullptr) gate_ = Gate::Consumer;
}

void Channel::checkPeer(Role role, bool force) {
  if (role == Role::Producer) checkConsumer(force);
  else checkProducer(force);
}

bool Channel::livenessDue(bool force) {
  const int64_t now = monotonicNanos();
  if (!force && now - peerCheckedAt_ < kLivenessSliceMs * 1000000) return false;
  peerCheckedAt_ = now;
  return true;
}

void Channel::checkConsumer(bool force) {
  if (__atomic_load_n(shape_.word(kStateOffset), __ATOMIC_SEQ_CST) & kConsumerClosed) {
    throw UsageError("ERR_CHANNEL_CLOSED", "the other side closed channel \"" + name_ + "\"");
  }
  // Asking /proc costs as much as a wake-up: at most once a slice, unless a slice ended unwoken.
  if (!livenessDue(force)) return;
  if (std::optional<UsageError> gone = handles_.peerGone(Role::Producer)) throw *gone;
}

void Channel::checkProducer(bool force) {
  // A consumer first reads everything the producer published, then says why no more will come.
  const bool closed = __atomic_load_n(shape_.word(kStateOffset), __ATOMIC_SEQ_CST) & kProducerClosed;
  std::optional<UsageError> gone;
  if (closed) gone = producerClosedError();
  else if (livenessDue(force)) gone = handles_.peerGone(Role::Consumer);
  if (!gone || reader_.refreshTail()) return;
  if (reader_.remaining() != 0) {
    throw UsageError("ERR_PEER_GONE", std::string(gone->what()) + ", in the middle of a " + std::to_string(receivingBytes_) +
                                          "-byte message of which " + std::to_string(received_) + " bytes arrived");
  }
  throw *gone;
}

// ERR_CHANNEL_CLOSED, or ERR_MESSAGES_LOST when the producer closed with sends it never wrote.
UsageError Channel::producerClosedError() const {
  const uint32_t unsent = __atomic_load_n(shape_.word(kUnsentOffset), __ATOMIC_SEQ_CST);
  if (unsent == 0) return UsageError("ERR_CHANNEL_CLOSED", "the other side closed channel \"" + name_ + "\"");
  return UsageError("ERR_MESSAGES_LOST", "the producer closed channel \"" + name_ + "\" with " + std::to_string(unsent) +
                                             (unsent == 1 ? " send" : " sends") +
                                             " it never wrote: the messages before them arrived, those did not");
}

void Channel::close() noexcept {
  if (closed_) return;
  closed_ = true;
  updateGate();
  // A reserved region never committed is a send given up: the consumer hears of it.
  if (hasRole_ && role_ == Role::Producer && reserved_) __atomic_store_n(shape_.word(kUnsentOffset), 1u, __ATOMIC_SEQ_CST);
  if (hasRole_) {
    __atomic_or_fetch(shape_.word(kStateOffset), role_ == Role::Producer ? kProducerClosed : kConsumerClosed, __ATOMIC_SEQ_CST);
  }
  handles_.close();
  if (hasRole_ && role_ == Role::Consumer && reader_.unreleased()) reader_.release();
  // Both lines: the peer's, so it returns at once, and this side's, in case a thread of it sleeps.
  wakeWaiter(shape_.header, kConsumerWaitingOffset);
  wakeWaiter(shape_.header, kProducerWaitingOffset);
  segment_.mapping()->close();
  if (segment_.created()) {
    try {
      Segment::unlink(name_);
    } catch (...) {
      // Someone removed or replaced it already: nothing of ours to remove.
    }
  }
}

void Channel::interrupt() noexcept {
  interrupted_.store(true, std::memory_order_seq_cst);
  // The waiting thread said it sleeps (and is woken here), or will see the flag before it sleeps.
  wakeWaiter(shape_.header, kConsumerWaitingOffset);
  wakeWaiter(shape_.header, kProducerWaitingOffset);
}

}  // namespace ipclab

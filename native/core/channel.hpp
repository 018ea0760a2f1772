// ShmChannel in C++: protocol v3 (docs/channel-protocol.md), implemented once for every native
// user (the native reference, the C ABI of libipclab and what is built on it). A single-producer,
// single-consumer stream of messages through one shared memory segment, compatible with the
// JavaScript ShmChannel on the other end.
//
// Errors are exceptions of errors.hpp carrying the Node API's codes: UsageError with ERR_TIMEOUT,
// ERR_PEER_GONE, ERR_CHANNEL_CLOSED, ERR_MESSAGES_LOST, ERR_CLOSED, ERR_BAD_CHANNEL, ERR_WRONG_STATE or
// ERR_OUT_OF_RANGE, and SystemError with an errno's name. Calls that do not fail never allocate.
//
// Timeouts are milliseconds: negative waits forever, 0 does not wait (a call that would have to
// fails with ERR_TIMEOUT). Every wait also ends when the peer closes (at once: closing wakes it)
// or its process dies (noticed within kLivenessSliceMs). A handle's first producer or consumer
// call takes its role in the handle table, whose lock it waits for up to its timeout (up to
// kLivenessSliceMs for the try* calls): a healthy peer holds it for microseconds.
//
// Threads: one thread at a time may call a Channel, except interrupt(), which any thread may call
// (before close()) to end a wait of the thread using it.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "channel_handles.hpp"
#include "channel_layout.hpp"
#include "channel_ring.hpp"
#include "segment.hpp"

namespace ipclab {

struct ChannelCreateOptions {
  // Size of the ring: a power of two from 4096 to 2^30.
  uint32_t ringBytes = 4 * 1024 * 1024;
  // Permission bits of the segment.
  unsigned mode = 0600;
  // Map every page now, so the first messages pay no page faults.
  bool populate = false;
  // Busy-wait up to this long for the peer before sleeping, in every wait (0 to 10^6).
  int64_t spinMicros = 0;
};

struct ChannelOpenOptions {
  bool populate = false;
  int64_t spinMicros = 0;
};

// A message to send: `bytes` bytes of `kind` (channel_layout.hpp: kKindBytes, a typed array's
// kind, kKindJson, ...; a typed kind's bytes are a multiple of its element size).
struct OutgoingMessage {
  const void* data;
  size_t bytes;
  uint8_t kind;
};

// What arrived: its length and kind.
struct MessageInfo {
  size_t bytes;
  uint8_t kind;
};

// A message viewed in the ring (receiveInPlace), valid until release().
struct InPlaceMessage {
  const unsigned char* data;
  size_t bytes;
  uint8_t kind;
};

// Where receiveMany puts messages: back to back in `buffer` (message i starts at the sum of the
// lengths before it), their lengths and kinds in the arrays, at most `max` of them.
struct ReceiveBatch {
  unsigned char* buffer;
  size_t capacity;
  size_t* lengths;
  uint8_t* kinds;
  size_t max;
};

struct FreeDeleter {
  void operator()(void* memory) const { std::free(memory); }
};

// A message in memory of its own (malloc'd, 64-byte aligned; free() releases it).
struct OwnedMessage {
  std::unique_ptr<unsigned char, FreeDeleter> data;
  size_t bytes;
  uint8_t kind;
};

class Channel {
 public:
  // A waiting side looks at its peer's process at least this often.
  static constexpr int64_t kLivenessSliceMs = 250;
  static constexpr int64_t kMaxSpinMicros = 1000000;

  // Makes the segment (exclusive) and its header; the creator unlinks the name on close.
  static std::unique_ptr<Channel> create(const std::string& name, const ChannelCreateOptions& options = {});
  // Opens a channel another process (or language) made: ERR_BAD_CHANNEL with the reason when the
  // segment is not a version-3 channel that fits its size.
  static std::unique_ptr<Channel> open(const std::string& name, const ChannelOpenOptions& options = {});

  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  const std::string& name() const { return name_; }
  uint32_t ringBytes() const { return shape_.bytes; }
  // The longest message reserve() and receiveInPlace() handle (one record's payload).
  size_t maxInPlaceBytes() const { return shape_.maxPayload(channel::kRecordHeaderBytes); }
  bool closed() const { return closed_; }
  // The segment's mapping (a binding may pin it, so that its views outlive close()).
  const std::shared_ptr<Mapping>& mapping() const { return segment_.mapping(); }

  // ---- Producer (the first of these calls makes this handle the producer) ----

  // Sends without waiting: true once the whole message is in the ring, false when there is no room.
  // A message longer than one record goes in chunks as room allows: after a false, call again
  // with the same message (same data, bytes and kind) to go on; another message is ERR_WRONG_STATE.
  bool trySend(const void* data, size_t bytes, uint8_t kind = channel::kKindBytes) {
    if (gate_ == Gate::Producer && bytes <= maxInPlaceBytes() && sendable(bytes, kind) && !consumerClosed() &&
        writer_.tryWrite(data, static_cast<uint32_t>(bytes), kind)) {
      writer_.publish();
      return true;
    }
    return trySendSlow(data, bytes, kind);
  }
  // Sends, waiting for room up to timeoutMs; a message longer than one record streams through
  // the ring in chunks. After ERR_TIMEOUT in the middle of one, send the same message again.
  void send(const void* data, size_t bytes, uint8_t kind, int64_t timeoutMs);
  // Sends as many of the messages as fit now, in order, with one publication and at most one
  // wake-up; returns how many were sent whole.
  size_t trySendMany(const OutgoingMessage* messages, size_t count);
  // Sends all of them, publishing once per batch that fits, waiting for room up to timeoutMs.
  // `sent` (when given) counts the messages sent whole, also when it throws: after ERR_TIMEOUT,
  // call again from messages + *sent to go on.
  void sendMany(const OutgoingMessage* messages, size_t count, int64_t timeoutMs, size_t* sent = nullptr);
  // Zero-copy send: a writable region of `bytes` bytes (at most maxInPlaceBytes()) in the ring,
  // then commit(n) publishes its first n bytes as one message of `kind`. Null from tryReserve
  // when there is no room.
  unsigned char* tryReserve(size_t bytes, uint8_t kind = channel::kKindBytes);
  unsigned char* reserve(size_t bytes, uint8_t kind, int64_t timeoutMs);
  void commit(size_t bytes);

  // ---- Consumer (the first of these calls makes this handle the consumer) ----

  // Copies the next message into `buffer`; false when none is complete. A message longer than
  // `capacity` is ERR_OUT_OF_RANGE and stays for the next call. A chunked message is copied as its
  // chunks arrive: after a false (or ERR_TIMEOUT) with part of one copied, call again with the same
  // buffer to go on. Once the producer closed and everything was read: ERR_CHANNEL_CLOSED, or
  // ERR_MESSAGES_LOST when it closed with sends it never wrote (the header's unsent count).
  bool tryReceive(void* buffer, size_t capacity, MessageInfo& info);
  MessageInfo receive(void* buffer, size_t capacity, int64_t timeoutMs);
  // The next message in memory of its own.
  OwnedMessage receive(int64_t timeoutMs);
  // The next message's length and kind, without taking it; false when none has begun to arrive.
  bool tryPeek(MessageInfo& info);
  MessageInfo peek(int64_t timeoutMs);
  // Everything available (up to batch.max messages and batch.capacity bytes); 0 when nothing is.
  // A chunked message is taken only first in a batch, and then alone.
  size_t tryReceiveMany(const ReceiveBatch& batch);
  // As tryReceiveMany, waiting up to timeoutMs for at least one message.
  size_t receiveMany(const ReceiveBatch& batch, int64_t timeoutMs);
  // Zero-copy receive: a view of the next message in the ring, valid until release(). A chunked
  // message cannot be viewed in place: ERR_OUT_OF_RANGE, and it stays for receive().
  bool tryReceiveInPlace(InPlaceMessage& message);
  InPlaceMessage receiveInPlace(int64_t timeoutMs);
  void release();

  // ---- Both ----

  // Tells the peer this side is done (its waits end at once with ERR_CHANNEL_CLOSED), marks this
  // handle closed, and unmaps; the creator also unlinks the name. A producer that closes holding a
  // reserved region it never committed records it as an unsent send (ERR_MESSAGES_LOST over there). Idempotent; later calls of any
  // other method fail with ERR_CLOSED.
  void close() noexcept;
  // Any thread, before close(): a wait in progress (and every later one) ends with ERR_CLOSED, so
  // that the thread using the channel returns and close() can follow.
  void interrupt() noexcept;

 private:
  // What the next call may take the fast path for; anything else goes through enter().
  enum class Gate : uint8_t { None, Producer, Consumer };
  class Deadline;

  Channel(std::string name, Segment segment, uint32_t ringBytes, int64_t spinMicros);

  bool sendable(size_t bytes, uint8_t kind) const {
    const uint32_t elementBytes = channel::kindElementBytes(kind);
    return elementBytes != 0 && (bytes & (elementBytes - 1)) == 0;
  }
  bool consumerClosed() const {
    return __atomic_load_n(shape_.word(channel::kStateOffset), __ATOMIC_RELAXED) & channel::kConsumerClosed;
  }
  // Checks that `role` may act now (claiming it on first use), or throws why not.
  void enter(channel::Role role, Deadline& deadline);
  void updateGate();
  void checkMessage(size_t bytes, uint8_t kind) const;

  bool trySendSlow(const void* data, size_t bytes, uint8_t kind);
  // Writes what fits of the message (whole or in chunks); true once all of it is in.
  bool writeMessage(const OutgoingMessage& message);
  bool writeChunks(const OutgoingMessage& message);
  // The room the message's next record needs.
  uint32_t roomForNext(const OutgoingMessage& message) const;
  // Throws why the consumer can never take more (closed or gone), checking its process when due.
  void checkConsumer(bool force);

  void enterConsumer(Deadline& deadline, const unsigned char* into, size_t capacity);
  MessageInfo receiveWithin(unsigned char* into, size_t capacity, Deadline& deadline);
  MessageInfo peekWithin(Deadline& deadline);
  // Takes the next message into `into` when it is complete; false otherwise.
  bool takeMessage(unsigned char* into, size_t capacity, MessageInfo& info);
  bool takeChunks(MessageInfo& info);
  // Throws why no more will come (closed, gone, mid-message), or returns while the producer may still send.
  void checkProducer(bool force);
  UsageError producerClosedError() const;

  // Waits until ready() (checked again after every wake-up), or throws: ERR_TIMEOUT at the
  // deadline, ERR_CLOSED after interrupt(), the peer's ERR_CHANNEL_CLOSED / ERR_PEER_GONE.
  template <typename Ready>
  void waitUntil(channel::Role role, Deadline& deadline, const char* what, Ready&& ready);
  void checkPeer(channel::Role role, bool force);
  // Whether the peer's process is due a look (at most once a liveness slice, unless forced).
  bool livenessDue(bool force);

  std::string name_;
  Segment segment_;
  channel::RingShape shape_;
  channel::HandleTable handles_;
  channel::RingWriter writer_;
  channel::RingReader reader_;
  Gate gate_ = Gate::None;
  channel::Role role_ = channel::Role::Producer;
  bool hasRole_ = false;
  bool closed_ = false;
  std::atomic<bool> interrupted_{false};
  int64_t spinMicros_;
  int64_t peerCheckedAt_ = 0;  // monotonic nanoseconds

  // A message in the middle of being sent in chunks (sent_ bytes of it so far), and a reservation.
  OutgoingMessage sending_{nullptr, 0, 0};
  size_t sent_ = 0;
  bool chunking_ = false;
  bool reserved_ = false;
  unsigned char* reservation_ = nullptr;
  size_t reservedBytes_ = 0;
  uint8_t reservedKind_ = 0;

  // A chunked message in the middle of being received into `receiving_`.
  unsigned char* receiving_ = nullptr;
  size_t receivingCapacity_ = 0;
  uint64_t receivingBytes_ = 0;
  uint64_t received_ = 0;
  uint8_t receivingKind_ = 0;
  std::unique_ptr<unsigned char, FreeDeleter> owned_;  // receive(timeoutMs)'s memory while it fills
  size_t ownedCapacity_ = 0;
  bool inPlace_ = false;
  channel::Record inPlaceRecord_{};
};

}  // namespace ipclab

// The ring of a ShmChannel (docs/channel-protocol.md, "Counters", "Records", "Ordering"): the
// producer's RingWriter and the consumer's RingReader. Synchronous and small: they write, check and
// read records and publish counters, never wait and never make a system call except the waker's
// step after a publication that finds the other side asleep. Waiting is channel.cpp's job.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "channel_layout.hpp"
#include "channel_wake.hpp"

namespace ipclab::channel {

// memcpy, but a C caller's empty message may come with a null pointer, which memcpy may not take.
inline void copyBytes(void* to, const void* from, size_t bytes) {
  if (bytes != 0) std::memcpy(to, from, bytes);
}

constexpr uint32_t align8(uint32_t bytes) { return (bytes + 7u) & ~7u; }
constexpr uint64_t align8(uint64_t bytes) { return (bytes + 7u) & ~uint64_t{7}; }

// Where a ring lives and how large it is: read once when the channel is opened, never again.
struct RingShape {
  unsigned char* header;
  unsigned char* ring;
  uint32_t bytes;  // ringBytes, a power of two
  const std::string* channel;

  uint32_t mask() const { return bytes - 1; }
  uint32_t maxRecordBytes() const { return bytes / 2; }
  // The largest payload of a record with this header (8 or 16 bytes).
  uint32_t maxPayload(uint32_t headerBytes) const { return maxRecordBytes() - headerBytes; }
  uint32_t* word(uint32_t offset) const { return reinterpret_cast<uint32_t*>(header + offset); }
};

// The producer's side. Positions are byte counts modulo 2^32, as the counters are.
class RingWriter {
 public:
  explicit RingWriter(const RingShape& shape) : shape_(shape) {}

  // Picks the stream up from the header: tail, tailSequence and head.
  void start();

  // Writes a message that fits one record (bytes <= shape.maxPayload(8)) when there is room;
  // false when not. Publishes nothing.
  bool tryWrite(const void* data, uint32_t bytes, uint8_t kind) {
    const uint32_t span = align8(kRecordHeaderBytes + bytes);
    unsigned char* record = claim(span);
    if (record == nullptr) return false;
    writeHeader(record, bytes, kind, 0);
    copyBytes(record + kRecordHeaderBytes, data, bytes);
    tail_ += span;
    return true;
  }

  // Room for a record of `span` bytes: writes the padding to the ring's end when the record does not
  // fit before it, and returns where the record goes, or null when there is no room yet. The caller
  // writes the record, then advance(span).
  unsigned char* claim(uint32_t span) {
    const uint32_t offset = tail_ & shape_.mask();
    const bool fits = offset + span <= shape_.bytes;
    const uint32_t need = fits ? span : shape_.bytes - offset + span;
    if (freeBytes() < need && !refreshHead(need)) return nullptr;
    if (fits) return shape_.ring + offset;
    writePadding(shape_.bytes - offset);
    return shape_.ring;
  }
  // One 8-byte store: a reader loads the header once, so it can never see half of it.
  void writeHeader(unsigned char* record, uint32_t size, uint8_t kind, uint8_t flags) {
    const uint64_t word =
        uint64_t{size} | uint64_t{kind} << 32 | uint64_t{flags} << 40 | uint64_t{static_cast<uint16_t>(sequence_)} << 48;
    __atomic_store_n(reinterpret_cast<uint64_t*>(record), word, __ATOMIC_RELAXED);
    ++sequence_;
  }
  void advance(uint32_t span) { tail_ += span; }

  // Release-stores tailSequence and tail, then wakes the consumer when it said it sleeps. The
  // store is sequentially consistent: with the load of consumerWaiting after it, a consumer that
  // goes to sleep either sees the new tail or is seen asleep.
  void publish() {
    __atomic_store_n(shape_.word(kTailSequenceOffset), sequence_, __ATOMIC_RELAXED);
    __atomic_store_n(shape_.word(kTailOffset), tail_, __ATOMIC_SEQ_CST);
    published_ = tail_;
    if (__atomic_load_n(shape_.word(kConsumerWaitingOffset), __ATOMIC_SEQ_CST) != 0) {
      wakeWaiter(shape_.header, kConsumerWaitingOffset);
    }
  }
  bool unpublished() const { return tail_ != published_; }

  // Whether `need` bytes are free after reading head again (ERR_BAD_CHANNEL when head is impossible).
  bool refreshHead(uint32_t need);
  uint32_t freeBytes() const { return shape_.bytes - (tail_ - headCache_); }
  // The room a record of this span needs now, padding to the ring's end included.
  uint32_t roomFor(uint32_t span) const {
    const uint32_t offset = tail_ & shape_.mask();
    return offset + span <= shape_.bytes ? span : shape_.bytes - offset + span;
  }

 private:
  void writePadding(uint32_t bytes);
  [[noreturn]] void corrupted(const std::string& why);

  const RingShape& shape_;
  uint32_t tail_ = 0;               // where the next record goes
  uint32_t published_ = 0;          // the tail last published
  uint32_t headCache_ = 0;          // head as last read
  uint32_t sequence_ = 0;           // records written, padding included
  bool broken_ = false;             // head was impossible once: the channel is not trusted again
  std::string message_;
};

// A record as the reader found and checked it.
struct Record {
  uint32_t offset;  // of the record in the ring
  uint32_t span;
  uint32_t size;           // payload bytes in this record
  uint32_t headerBytes;    // 8, or 16 for a chunked message's first record
  uint64_t messageBytes;   // the whole message (size for a whole record)
  uint16_t sequence;
  uint8_t kind;
  uint8_t flags;
};

// The consumer's side.
class RingReader {
 public:
  explicit RingReader(const RingShape& shape) : shape_(shape) {}

  // Picks the stream up from the header: head and tail.
  void start();

  // The next record that is not padding, checked (ERR_BAD_CHANNEL on any failure of the
  // protocol's checks); false when none is published. Padding before it is consumed.
  bool next(Record& record) {
    if (tailCache_ - head_ < kRecordHeaderBytes && !refreshTail()) return false;
    for (;;) {
      read(record);
      if (!(record.flags & kRecordPadding)) return true;
      consume(record);
      if (tailCache_ == head_ && !refreshTail()) return false;
    }
  }
  const unsigned char* payload(const Record& record) const {
    return shape_.ring + record.offset + record.headerBytes;
  }
  // Takes the record: the bytes are the producer's again once head is published.
  void consume(const Record& record) {
    head_ += record.span;
    sinceRelease_ += record.span;
    expected_ = static_cast<uint16_t>(record.sequence + 1);
    adopt_ = false;
    if (record.flags & kRecordFirst) {
      remaining_ = record.messageBytes - record.size;
      messageKind_ = record.kind;
    } else if (record.flags & kRecordContinued) {
      remaining_ -= record.size;
    }
  }
  // Bytes of the current chunked message still to come (0: between messages).
  uint64_t remaining() const { return remaining_; }

  // Inside a long call: publishes head once a quarter of the ring was read since the last time.
  void releaseIfQuarter() {
    if (sinceRelease_ >= shape_.bytes / 4) release();
  }
  // At the end of every call that read something (more often than the protocol's drained batch):
  // a producer never waits for room that a finished call has read.
  void releaseRead() {
    if (head_ != released_) release();
  }
  // Release-stores head, then wakes the producer when it said it sleeps (the same fence as
  // RingWriter::publish).
  void release() {
    __atomic_store_n(shape_.word(kHeadOffset), head_, __ATOMIC_SEQ_CST);
    released_ = head_;
    sinceRelease_ = 0;
    if (__atomic_load_n(shape_.word(kProducerWaitingOffset), __ATOMIC_SEQ_CST) != 0) {
      wakeWaiter(shape_.header, kProducerWaitingOffset);
    }
  }
  bool unreleased() const { return head_ != released_; }

  // Reads tail again; true when it shows bytes not read yet (ERR_BAD_CHANNEL when it is impossible).
  bool refreshTail();

 private:
  void read(Record& record);
  [[noreturn]] void corrupted(const std::string& why);

  const RingShape& shape_;
  uint32_t head_ = 0;          // where the next record starts
  uint32_t released_ = 0;      // the head last published
  uint32_t tailCache_ = 0;     // tail as last read
  uint32_t sinceRelease_ = 0;  // bytes read since the last publication
  uint16_t expected_ = 0;      // the next record's sequence
  bool adopt_ = true;          // the first record's sequence is taken as given
  bool broken_ = false;        // a check failed once: the channel is not trusted again
  std::string message_;
  uint64_t remaining_ = 0;
  uint8_t messageKind_ = 0;
};

}  // namespace ipclab::channel

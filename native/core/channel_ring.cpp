#include "channel_ring.hpp"

#include "errors.hpp"

namespace ipclab::channel {

namespace {

std::string corruptionMessage(const RingShape& shape, const std::string& why) {
  return "channel \"" + *shape.channel + "\" was corrupted by another process: " + why;
}

}  // namespace

// RingWriter

void RingWriter::start() {
  tail_ = published_ = __atomic_load_n(shape_.word(kTailOffset), __ATOMIC_ACQUIRE);
  sequence_ = __atomic_load_n(shape_.word(kTailSequenceOffset), __ATOMIC_RELAXED);
  headCache_ = tail_ - shape_.bytes;  // no room known until head is read
  if (tail_ % kRecordAlignment != 0) corrupted("tail reads " + std::to_string(tail_) + ", not a multiple of 8");
  refreshHead(0);
}

void RingWriter::writePadding(uint32_t bytes) {
  writeHeader(shape_.ring + (tail_ & shape_.mask()), bytes - kRecordHeaderBytes, 0, kRecordPadding);
  tail_ += bytes;
}

bool RingWriter::refreshHead(uint32_t need) {
  if (broken_) corrupted("");
  const uint32_t head = __atomic_load_n(shape_.word(kHeadOffset), __ATOMIC_ACQUIRE);
  // Head only moves forward, and never past the published tail.
  if (head % kRecordAlignment != 0 || head - headCache_ > published_ - headCache_) {
    corrupted("head reads " + std::to_string(head) + " while the producer has published up to " + std::to_string(published_) +
              " and head was " + std::to_string(headCache_) + " (head must be a multiple of 8 that only moves forward, up to tail)");
  }
  headCache_ = head;
  return freeBytes() >= need;
}

void RingWriter::corrupted(const std::string& why) {
  if (!broken_) {
    broken_ = true;
    message_ = corruptionMessage(shape_, why);
    headCache_ = tail_ - shape_.bytes;  // no room: every write reads head again, and fails again
  }
  throw UsageError("ERR_BAD_CHANNEL", message_);
}

// RingReader

void RingReader::start() {
  head_ = released_ = __atomic_load_n(shape_.word(kHeadOffset), __ATOMIC_ACQUIRE);
  tailCache_ = head_;
  if (head_ % kRecordAlignment != 0) corrupted("head reads " + std::to_string(head_) + ", not a multiple of 8");
  refreshTail();
}

bool RingReader::refreshTail() {
  if (broken_) corrupted("");
  const uint32_t tail = __atomic_load_n(shape_.word(kTailOffset), __ATOMIC_ACQUIRE);
  // Tail only moves forward, and by no more than the room the consumer has released.
  if (tail % kRecordAlignment != 0 || tail - tailCache_ > released_ + shape_.bytes - tailCache_) {
    corrupted("tail reads " + std::to_string(tail) + " while it was " + std::to_string(tailCache_) + " and head is " +
              std::to_string(released_) + " in a ring of " + std::to_string(shape_.bytes) +
              " bytes (tail must be a multiple of 8 that only moves forward, at most ringBytes ahead of head)");
  }
  tailCache_ = tail;
  return tail != head_;
}

void RingReader::read(Record& record) {
  const uint32_t available = tailCache_ - head_;
  const uint32_t offset = head_ & shape_.mask();
  // The header is loaded once: a peer rewriting it meanwhile cannot make the checks and the use disagree.
  const uint64_t word = __atomic_load_n(reinterpret_cast<const uint64_t*>(shape_.ring + offset), __ATOMIC_RELAXED);
  record.offset = offset;
  record.size = static_cast<uint32_t>(word);
  record.kind = static_cast<uint8_t>(word >> 32);
  record.flags = static_cast<uint8_t>(word >> 40);
  record.sequence = static_cast<uint16_t>(word >> 48);
  record.headerBytes = record.flags == kRecordFirst ? kFirstRecordHeaderBytes : kRecordHeaderBytes;
  const uint64_t span = align8(uint64_t{record.headerBytes} + record.size);
  const auto at = [&] { return "the record at byte " + std::to_string(head_) + " (sequence " + std::to_string(record.sequence) + ")"; };
  if (available < kRecordHeaderBytes || span > available || span > shape_.maxRecordBytes() ||
      offset + span > shape_.bytes) {
    corrupted(at() + " says " + std::to_string(record.size) + " bytes, which do not fit the " + std::to_string(available) +
              " bytes published after it, a record (at most " + std::to_string(shape_.maxRecordBytes()) +
              " bytes) or the ring's end");
  }
  record.span = static_cast<uint32_t>(span);
  if (!adopt_ && record.sequence != expected_) {
    corrupted(at() + " is out of order: record " + std::to_string(expected_) + " was expected");
  }
  const uint32_t elementBytes = kindElementBytes(record.kind);
  switch (record.flags) {
    case kRecordPadding:
      if (record.kind != 0) corrupted(at() + " is padding of kind " + std::to_string(record.kind) + " (padding has kind 0)");
      return;
    case 0:
    case kRecordFirst:
      if (remaining_ != 0) {
        corrupted(at() + " starts a message while " + std::to_string(remaining_) + " bytes of the previous one are still to come");
      }
      if (record.flags == 0) {
        record.messageBytes = record.size;
        break;
      }
      record.messageBytes =
          __atomic_load_n(reinterpret_cast<const uint64_t*>(shape_.ring + offset + kRecordMessageBytesOffset), __ATOMIC_RELAXED);
      if (record.messageBytes > kMaxMessageBytes || record.messageBytes <= shape_.maxPayload(kRecordHeaderBytes) ||
          record.size > record.messageBytes) {
        corrupted(at() + " starts a chunked message of " + std::to_string(record.messageBytes) + " bytes with " +
                  std::to_string(record.size) + " of them (a chunked message is longer than one record holds, at most 2^53 - 1 bytes)");
      }
      if (elementBytes != 0 && record.messageBytes % elementBytes != 0) {
        corrupted(at() + " starts a message of kind " + std::to_string(record.kind) + " of " + std::to_string(record.messageBytes) +
                  " bytes, not a multiple of its " + std::to_string(elementBytes) + "-byte elements");
      }
      break;
    case kRecordContinued:
      if (remaining_ == 0) corrupted(at() + " continues a message that was not started");
      if (record.kind != messageKind_ || record.size > remaining_) {
        corrupted(at() + " continues a message of kind " + std::to_string(messageKind_) + " with " + std::to_string(remaining_) +
                  " bytes to come, but says kind " + std::to_string(record.kind) + " and " + std::to_string(record.size) + " bytes");
      }
      record.messageBytes = 0;
      break;
    default:
      corrupted(at() + " has flags " + std::to_string(record.flags) + ", which no record has");
  }
  if (elementBytes == 0) corrupted(at() + " has kind " + std::to_string(record.kind) + ", which this ipclab does not know");
  if (record.size % elementBytes != 0) {
    corrupted(at() + " holds " + std::to_string(record.size) + " bytes of kind " + std::to_string(record.kind) +
              ", not a multiple of its " + std::to_string(elementBytes) + "-byte elements");
  }
}

void RingReader::corrupted(const std::string& why) {
  if (!broken_) {
    broken_ = true;
    message_ = corruptionMessage(shape_, why);
    tailCache_ = head_;  // nothing more is read through the counters
  }
  throw UsageError("ERR_BAD_CHANNEL", message_);
}

}  // namespace ipclab::channel

// Channel, the producer's calls: whole records, chunked messages, batches and reservations.
#include "channel.hpp"
#include "channel_wait.hpp"

namespace ipclab {

using namespace channel;

namespace {

bool sameMessage(const OutgoingMessage& a, const OutgoingMessage& b) {
  return a.data == b.data && a.bytes == b.bytes && a.kind == b.kind;
}

}  // namespace

void Channel::checkMessage(size_t bytes, uint8_t kind) const {
  const uint32_t elementBytes = kindElementBytes(kind);
  if (elementBytes == 0) {
    throw channelError("ERR_OUT_OF_RANGE", name_, "kind " + std::to_string(kind) + " is not a kind this ipclab knows (0 to 13, or 100)");
  }
  if (bytes % elementBytes != 0) {
    throw channelError("ERR_OUT_OF_RANGE", name_, "a message of kind " + std::to_string(kind) + " is a whole number of " +
                                                      std::to_string(elementBytes) + "-byte elements, but has " +
                                                      std::to_string(bytes) + " bytes");
  }
  if (bytes > kMaxMessageBytes) {
    throw channelError("ERR_OUT_OF_RANGE", name_, "a message is at most 2^53 - 1 bytes, got " + std::to_string(bytes));
  }
}

// The payload of one chunk: a quarter of the ring with its header, so that the consumer copies one
// chunk out while the producer copies the next in.
static uint32_t chunkPayload(const RingShape& shape) { return shape.bytes / 4 - kFirstRecordHeaderBytes; }

uint32_t Channel::roomForNext(const OutgoingMessage& message) const {
  if (message.bytes <= maxInPlaceBytes()) {
    const auto bytes = static_cast<uint32_t>(message.bytes);
    return writer_.roomFor(align8(kRecordHeaderBytes + bytes));
  }
  const size_t sent = chunking_ ? sent_ : 0;
  const uint32_t headerBytes = sent == 0 ? kFirstRecordHeaderBytes : kRecordHeaderBytes;
  const auto chunk = static_cast<uint32_t>(std::min<size_t>(message.bytes - sent, chunkPayload(shape_)));
  return writer_.roomFor(align8(headerBytes + chunk));
}

bool Channel::writeMessage(const OutgoingMessage& message) {
  if (chunking_) {
    if (!sameMessage(message, sending_)) {
      throw channelError("ERR_WRONG_STATE", name_, "an earlier send stopped after " + std::to_string(sent_) + " of the " +
                                                       std::to_string(sending_.bytes) +
                                                       " bytes of a message; send that message again to finish it");
    }
    return writeChunks(message);
  }
  checkMessage(message.bytes, message.kind);
  if (message.bytes <= maxInPlaceBytes()) return writer_.tryWrite(message.data, static_cast<uint32_t>(message.bytes), message.kind);
  sending_ = message;
  sent_ = 0;
  chunking_ = true;
  updateGate();
  return writeChunks(message);
}

bool Channel::writeChunks(const OutgoingMessage& message) {
  const auto* data = static_cast<const unsigned char*>(message.data);
  while (sent_ < message.bytes) {
    const bool first = sent_ == 0;
    const uint32_t headerBytes = first ? kFirstRecordHeaderBytes : kRecordHeaderBytes;
    const auto chunk = static_cast<uint32_t>(std::min<size_t>(message.bytes - sent_, chunkPayload(shape_)));
    const uint32_t span = align8(headerBytes + chunk);
    unsigned char* record = writer_.claim(span);
    if (record == nullptr) return false;
    if (first) {
      __atomic_store_n(reinterpret_cast<uint64_t*>(record + kRecordMessageBytesOffset), uint64_t{message.bytes}, __ATOMIC_RELAXED);
    }
    copyBytes(record + headerBytes, data + sent_, chunk);
    writer_.writeHeader(record, chunk, message.kind, first ? kRecordFirst : kRecordContinued);
    writer_.advance(span);
    writer_.publish();  // each chunk at once: the consumer copies it out while the next goes in
    sent_ += chunk;
  }
  chunking_ = false;
  sending_ = {nullptr, 0, 0};
  updateGate();
  return true;
}

bool Channel::trySendSlow(const void* data, size_t bytes, uint8_t kind) {
  Deadline none(0);
  enter(Role::Producer, none);
  if (reserved_) throw channelError("ERR_WRONG_STATE", name_, "reserve() was called; commit() that message first");
  checkConsumer(false);
  const bool whole = writeMessage({data, bytes, kind});
  if (writer_.unpublished()) writer_.publish();
  return whole;
}

void Channel::send(const void* data, size_t bytes, uint8_t kind, int64_t timeoutMs) {
  Deadline deadline(timeoutMs);
  if (gate_ != Gate::Producer) enter(Role::Producer, deadline);
  if (trySend(data, bytes, kind)) return;
  // No room, or a chunked message: wait for room for each of its records in turn.
  const OutgoingMessage message{data, bytes, kind};
  for (;;) {
    waitUntil(Role::Producer, deadline, "room", [&] { return writer_.refreshHead(roomForNext(message)); });
    const bool whole = writeMessage(message);
    if (writer_.unpublished()) writer_.publish();
    if (whole) return;
  }
}

size_t Channel::trySendMany(const OutgoingMessage* messages, size_t count) {
  Deadline none(0);
  if (gate_ != Gate::Producer) enter(Role::Producer, none);
  if (reserved_) throw channelError("ERR_WRONG_STATE", name_, "reserve() was called; commit() that message first");
  checkConsumer(false);
  size_t sent = 0;
  while (sent < count && writeMessage(messages[sent])) ++sent;
  if (writer_.unpublished()) writer_.publish();
  return sent;
}

void Channel::sendMany(const OutgoingMessage* messages, size_t count, int64_t timeoutMs) {
  Deadline deadline(timeoutMs);
  if (gate_ != Gate::Producer) enter(Role::Producer, deadline);
  size_t sent = trySendMany(messages, count);
  try {
    while (sent < count) {
      waitUntil(Role::Producer, deadline, "room", [&] { return writer_.refreshHead(roomForNext(messages[sent])); });
      while (sent < count && writeMessage(messages[sent])) ++sent;
      if (writer_.unpublished()) writer_.publish();
    }
  } catch (const UsageError& error) {
    if (error.code() != "ERR_TIMEOUT") throw;
    throw UsageError(error.code(), std::string(error.what()) + " after sending " + std::to_string(sent) + " of " +
                                       std::to_string(count) + " messages");
  }
}

unsigned char* Channel::tryReserve(size_t bytes, uint8_t kind) {
  Deadline none(0);
  if (gate_ != Gate::Producer) enter(Role::Producer, none);
  if (reserved_) throw channelError("ERR_WRONG_STATE", name_, "reserve() was already called; commit() that message first");
  if (chunking_) {
    throw channelError("ERR_WRONG_STATE", name_, "a send stopped in the middle of a message; send that message again to finish it");
  }
  checkMessage(0, kind);
  if (bytes > maxInPlaceBytes()) {
    throw channelError("ERR_OUT_OF_RANGE", name_, "reserve() takes at most " + std::to_string(maxInPlaceBytes()) +
                                                      " bytes (one record of this ring), got " + std::to_string(bytes) +
                                                      "; send() streams longer messages");
  }
  checkConsumer(false);
  const uint32_t span = align8(kRecordHeaderBytes + static_cast<uint32_t>(bytes));
  unsigned char* record = writer_.claim(span);
  if (record == nullptr) return nullptr;
  reserved_ = true;
  reservation_ = record;
  reservedBytes_ = bytes;
  reservedKind_ = kind;
  updateGate();
  return record + kRecordHeaderBytes;
}

unsigned char* Channel::reserve(size_t bytes, uint8_t kind, int64_t timeoutMs) {
  Deadline deadline(timeoutMs);
  if (gate_ != Gate::Producer) enter(Role::Producer, deadline);
  if (unsigned char* region = tryReserve(bytes, kind)) return region;
  const uint32_t span = align8(kRecordHeaderBytes + static_cast<uint32_t>(bytes));
  for (;;) {
    waitUntil(Role::Producer, deadline, "room", [&] { return writer_.refreshHead(writer_.roomFor(span)); });
    if (unsigned char* region = tryReserve(bytes, kind)) return region;
  }
}

void Channel::commit(size_t bytes) {
  if (closed_) throw UsageError("ERR_CLOSED", "channel \"" + name_ + "\" is closed");
  if (!reserved_) throw channelError("ERR_WRONG_STATE", name_, "commit() needs a reserve() first");
  if (bytes > reservedBytes_) {
    throw channelError("ERR_OUT_OF_RANGE", name_, "commit() of " + std::to_string(bytes) + " bytes, but reserve() gave " +
                                                      std::to_string(reservedBytes_));
  }
  checkMessage(bytes, reservedKind_);
  writer_.writeHeader(reservation_, static_cast<uint32_t>(bytes), reservedKind_, 0);
  writer_.advance(align8(kRecordHeaderBytes + static_cast<uint32_t>(bytes)));
  writer_.publish();
  reserved_ = false;
  updateGate();
}

}  // namespace ipclab

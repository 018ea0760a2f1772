// Channel, the consumer's calls: into a caller's buffer, into memory of its own, in batches and in place.
#include "channel.hpp"
#include "channel_wait.hpp"

namespace ipclab {

using namespace channel;

namespace {

UsageError tooLong(const std::string& channel, uint64_t bytes, size_t capacity) {
  return channelError("ERR_OUT_OF_RANGE", channel, "the next message is " + std::to_string(bytes) + " bytes, longer than the " +
                                                       std::to_string(capacity) + " bytes given for it; it stays for the next receive");
}

}  // namespace

bool Channel::takeMessage(unsigned char* into, size_t capacity, MessageInfo& info) {
  Record record;
  if (!reader_.next(record)) return false;
  if (record.messageBytes > capacity) throw tooLong(name_, record.messageBytes, capacity);
  copyBytes(into, reader_.payload(record), record.size);
  reader_.consume(record);
  if (record.flags == 0) {
    reader_.releaseRead();
    info = {record.size, record.kind};
    return true;
  }
  // The first record of a chunked message: the rest follows into the same buffer as it arrives.
  receiving_ = into;
  receivingCapacity_ = capacity;
  receivingBytes_ = record.messageBytes;
  received_ = record.size;
  receivingKind_ = record.kind;
  updateGate();
  return takeChunks(info);
}

bool Channel::takeChunks(MessageInfo& info) {
  Record record;
  while (received_ < receivingBytes_) {
    // The reader checked that this continues the message and fits what is left of it.
    if (!reader_.next(record)) {
      reader_.releaseRead();
      return false;
    }
    copyBytes(receiving_ + received_, reader_.payload(record), record.size);
    received_ += record.size;
    reader_.consume(record);
    reader_.releaseIfQuarter();
  }
  reader_.releaseRead();
  info = {static_cast<size_t>(receivingBytes_), receivingKind_};
  receiving_ = nullptr;
  updateGate();
  return true;
}

// The consumer's way in: the role, then nothing held in place, and a chunked message in the
// middle of arriving only into the buffer it started in.
void Channel::enterConsumer(Deadline& deadline, const unsigned char* into, size_t capacity) {
  if (gate_ == Gate::Consumer) return;
  enter(Role::Consumer, deadline);
  if (inPlace_) throw channelError("ERR_WRONG_STATE", name_, "receiveInPlace() holds a message; release() it first");
  if (receiving_ != nullptr && (into != receiving_ || capacity != receivingCapacity_)) {
    throw channelError("ERR_WRONG_STATE", name_, "an earlier receive stopped after " + std::to_string(received_) + " of the " +
                                                     std::to_string(receivingBytes_) +
                                                     " bytes of a message; receive again into the same buffer to finish it");
  }
}

bool Channel::tryReceive(void* buffer, size_t capacity, MessageInfo& info) {
  auto* into = static_cast<unsigned char*>(buffer);
  Deadline none(0);
  enterConsumer(none, into, capacity);
  if (receiving_ != nullptr ? takeChunks(info) : takeMessage(into, capacity, info)) return true;
  checkProducer(false);
  return false;
}

MessageInfo Channel::receive(void* buffer, size_t capacity, int64_t timeoutMs) {
  Deadline deadline(timeoutMs);
  return receiveWithin(static_cast<unsigned char*>(buffer), capacity, deadline);
}

MessageInfo Channel::receiveWithin(unsigned char* into, size_t capacity, Deadline& deadline) {
  enterConsumer(deadline, into, capacity);
  MessageInfo info{};
  while (!tryReceive(into, capacity, info)) {
    waitUntil(Role::Consumer, deadline, "data", [&] { return reader_.refreshTail(); });
  }
  return info;
}

OwnedMessage Channel::receive(int64_t timeoutMs) {
  Deadline deadline(timeoutMs);
  // A message that stopped half-way on an earlier call goes on into the memory it started in.
  if (owned_ == nullptr || receiving_ != owned_.get()) {
    const MessageInfo next = peekWithin(deadline);
    // 64-byte aligned, whole cache lines; at least one, so an empty message has an address too.
    const size_t bytes = (std::max<size_t>(next.bytes, 1) + 63) / 64 * 64;
    owned_.reset(static_cast<unsigned char*>(std::aligned_alloc(64, bytes)));
    if (owned_ == nullptr) {
      throw SystemError(ENOMEM, "aligned_alloc", name_, "no memory for a " + std::to_string(next.bytes) + "-byte message");
    }
    ownedCapacity_ = next.bytes;
  }
  const MessageInfo info = receiveWithin(owned_.get(), ownedCapacity_, deadline);
  return {std::move(owned_), info.bytes, info.kind};
}

bool Channel::tryPeek(MessageInfo& info) {
  Deadline none(0);
  enterConsumer(none, nullptr, 0);
  Record record;
  if (reader_.next(record)) {
    info = {static_cast<size_t>(record.messageBytes), record.kind};
    return true;
  }
  checkProducer(false);
  return false;
}

MessageInfo Channel::peek(int64_t timeoutMs) {
  Deadline deadline(timeoutMs);
  return peekWithin(deadline);
}

MessageInfo Channel::peekWithin(Deadline& deadline) {
  enterConsumer(deadline, nullptr, 0);
  MessageInfo info{};
  while (!tryPeek(info)) {
    waitUntil(Role::Consumer, deadline, "data", [&] { return reader_.refreshTail(); });
  }
  return info;
}

size_t Channel::tryReceiveMany(const ReceiveBatch& batch) {
  Deadline none(0);
  enterConsumer(none, batch.buffer, batch.capacity);
  MessageInfo info{};
  if (receiving_ != nullptr) {
    if (!takeChunks(info)) return 0;
    batch.lengths[0] = info.bytes;
    batch.kinds[0] = info.kind;
    return 1;
  }
  size_t count = 0;
  size_t used = 0;
  Record record;
  while (count < batch.max && reader_.next(record)) {
    if (record.flags == kRecordFirst) {
      // A chunked message comes alone, first in its batch.
      if (count > 0 || !takeMessage(batch.buffer, batch.capacity, info)) break;
      batch.lengths[0] = info.bytes;
      batch.kinds[0] = info.kind;
      return 1;
    }
    if (record.size > batch.capacity - used) {
      if (count == 0) throw tooLong(name_, record.size, batch.capacity);
      break;
    }
    copyBytes(batch.buffer + used, reader_.payload(record), record.size);
    batch.lengths[count] = record.size;
    batch.kinds[count] = record.kind;
    used += record.size;
    ++count;
    reader_.consume(record);
    reader_.releaseIfQuarter();
  }
  reader_.releaseRead();
  if (count == 0) checkProducer(false);
  return count;
}

size_t Channel::receiveMany(const ReceiveBatch& batch, int64_t timeoutMs) {
  Deadline deadline(timeoutMs);
  enterConsumer(deadline, batch.buffer, batch.capacity);
  size_t count;
  while ((count = tryReceiveMany(batch)) == 0) {
    waitUntil(Role::Consumer, deadline, "data", [&] { return reader_.refreshTail(); });
  }
  return count;
}

bool Channel::tryReceiveInPlace(InPlaceMessage& message) {
  Deadline none(0);
  enterConsumer(none, nullptr, 0);
  Record record;
  if (!reader_.next(record)) {
    checkProducer(false);
    return false;
  }
  if (record.flags == kRecordFirst) {
    throw channelError("ERR_OUT_OF_RANGE", name_, "the next message is " + std::to_string(record.messageBytes) +
                                                      " bytes, longer than one record of this ring (" +
                                                      std::to_string(maxInPlaceBytes()) + " bytes) can show in place; receive() it instead");
  }
  inPlace_ = true;
  inPlaceRecord_ = record;
  updateGate();
  message = {reader_.payload(record), record.size, record.kind};
  return true;
}

InPlaceMessage Channel::receiveInPlace(int64_t timeoutMs) {
  Deadline deadline(timeoutMs);
  enterConsumer(deadline, nullptr, 0);
  InPlaceMessage message{};
  while (!tryReceiveInPlace(message)) {
    waitUntil(Role::Consumer, deadline, "data", [&] { return reader_.refreshTail(); });
  }
  return message;
}

void Channel::release() {
  if (closed_) throw UsageError("ERR_CLOSED", "channel \"" + name_ + "\" is closed");
  if (!inPlace_) throw channelError("ERR_WRONG_STATE", name_, "release() needs a receiveInPlace() first");
  reader_.consume(inPlaceRecord_);
  reader_.releaseRead();
  inPlace_ = false;
  updateGate();
}

}  // namespace ipclab

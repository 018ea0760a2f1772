// libipclab: ShmChannel, each call a thin wrapper over ipclab::Channel (native/core/channel.hpp).
#include "../core/names.hpp"
#include "api.hpp"

using ipclab::capi::fail;
using ipclab::capi::guarded;

static_assert(sizeof(ipclab_outgoing) == sizeof(ipclab::OutgoingMessage) &&
                  offsetof(ipclab_outgoing, data) == offsetof(ipclab::OutgoingMessage, data) &&
                  offsetof(ipclab_outgoing, bytes) == offsetof(ipclab::OutgoingMessage, bytes) &&
                  offsetof(ipclab_outgoing, kind) == offsetof(ipclab::OutgoingMessage, kind),
              "ipclab_outgoing is the core's OutgoingMessage");

namespace {

const ipclab::OutgoingMessage* outgoing(const ipclab_outgoing* messages) {
  return reinterpret_cast<const ipclab::OutgoingMessage*>(messages);
}

void setInfo(ipclab_message_info* info, const ipclab::MessageInfo& message) {
  if (info != nullptr) *info = {message.bytes, message.kind};
}

// The arguments of receive_many and try_receive_many: IPCLAB_OK, or why not.
int checkBatch(const ipclab_channel* channel, const size_t* lengths, const uint8_t* kinds, size_t max, const size_t* count) {
  IPCLAB_REQUIRE(channel);
  IPCLAB_REQUIRE(lengths);
  IPCLAB_REQUIRE(kinds);
  IPCLAB_REQUIRE(count);
  if (max == 0) return fail(IPCLAB_ERR_INVALID_ARGUMENT, "max must be at least 1");
  return IPCLAB_OK;
}

}  // namespace

extern "C" {

int ipclab_channel_create(const char* name, uint32_t ring_bytes, unsigned mode, int64_t spin_micros, unsigned flags,
                          ipclab_channel** out) {
  IPCLAB_REQUIRE(out);
  if ((flags & ~IPCLAB_POPULATE) != 0) return fail(IPCLAB_ERR_INVALID_ARGUMENT, "ipclab_channel_create takes only IPCLAB_POPULATE as flags");
  if (mode > 0777) return fail(IPCLAB_ERR_INVALID_ARGUMENT, "mode must be permission bits from 0 to 0777");
  return guarded([&] {
    ipclab::ChannelCreateOptions options;
    options.ringBytes = ring_bytes == 0 ? IPCLAB_DEFAULT_RING_BYTES : ring_bytes;
    options.mode = mode;
    options.populate = (flags & IPCLAB_POPULATE) != 0;
    options.spinMicros = spin_micros;
    *out = reinterpret_cast<ipclab_channel*>(ipclab::Channel::create(ipclab::normalizeName(name), options).release());
    return IPCLAB_OK;
  });
}

int ipclab_channel_open(const char* name, int64_t spin_micros, unsigned flags, ipclab_channel** out) {
  IPCLAB_REQUIRE(out);
  if ((flags & ~IPCLAB_POPULATE) != 0) return fail(IPCLAB_ERR_INVALID_ARGUMENT, "ipclab_channel_open takes only IPCLAB_POPULATE as flags");
  return guarded([&] {
    ipclab::ChannelOpenOptions options;
    options.populate = (flags & IPCLAB_POPULATE) != 0;
    options.spinMicros = spin_micros;
    *out = reinterpret_cast<ipclab_channel*>(ipclab::Channel::open(ipclab::normalizeName(name), options).release());
    return IPCLAB_OK;
  });
}

void ipclab_channel_close(ipclab_channel* channel) { delete channelOf(channel); }  // ~Channel closes

void ipclab_channel_interrupt(ipclab_channel* channel) {
  if (channel != nullptr) channelOf(channel)->interrupt();
}

const char* ipclab_channel_name(const ipclab_channel* channel) { return channelOf(channel)->name().c_str(); }
uint32_t ipclab_channel_ring_bytes(const ipclab_channel* channel) { return channelOf(channel)->ringBytes(); }
size_t ipclab_channel_max_in_place_bytes(const ipclab_channel* channel) { return channelOf(channel)->maxInPlaceBytes(); }

int ipclab_channel_mapping(const ipclab_channel* channel, ipclab_mapping** out) {
  IPCLAB_REQUIRE(channel);
  IPCLAB_REQUIRE(out);
  const auto& mapping = channelOf(channel)->mapping();
  if (!mapping->acquire()) return fail(IPCLAB_ERR_CLOSED, ("channel \"" + channelOf(channel)->name() + "\" is closed").c_str());
  *out = new (std::nothrow) ipclab_mapping{mapping};
  if (*out == nullptr) {
    mapping->release();
    return fail(ENOMEM, "out of memory (ENOMEM)");
  }
  return IPCLAB_OK;
}

int ipclab_channel_send(ipclab_channel* channel, const void* data, size_t bytes, uint8_t kind, int64_t timeout_ms) {
  IPCLAB_REQUIRE(channel);
  return guarded([&] {
    channelOf(channel)->send(data, bytes, kind, timeout_ms);
    return IPCLAB_OK;
  });
}

int ipclab_channel_try_send(ipclab_channel* channel, const void* data, size_t bytes, uint8_t kind) {
  IPCLAB_REQUIRE(channel);
  return guarded([&] { return channelOf(channel)->trySend(data, bytes, kind) ? IPCLAB_OK : IPCLAB_AGAIN; });
}

int ipclab_channel_send_many(ipclab_channel* channel, const ipclab_outgoing* messages, size_t count, int64_t timeout_ms,
                             size_t* sent) {
  IPCLAB_REQUIRE(channel);
  if (count > 0) IPCLAB_REQUIRE(messages);
  return guarded([&] {
    channelOf(channel)->sendMany(outgoing(messages), count, timeout_ms, sent);
    return IPCLAB_OK;
  });
}

int ipclab_channel_try_send_many(ipclab_channel* channel, const ipclab_outgoing* messages, size_t count, size_t* sent) {
  IPCLAB_REQUIRE(channel);
  if (count > 0) IPCLAB_REQUIRE(messages);
  return guarded([&] {
    const size_t done = channelOf(channel)->trySendMany(outgoing(messages), count);
    if (sent != nullptr) *sent = done;
    return done == count ? IPCLAB_OK : IPCLAB_AGAIN;
  });
}

int ipclab_channel_reserve(ipclab_channel* channel, size_t bytes, uint8_t kind, int64_t timeout_ms, void** region) {
  IPCLAB_REQUIRE(channel);
  IPCLAB_REQUIRE(region);
  return guarded([&] {
    *region = channelOf(channel)->reserve(bytes, kind, timeout_ms);
    return IPCLAB_OK;
  });
}

int ipclab_channel_try_reserve(ipclab_channel* channel, size_t bytes, uint8_t kind, void** region) {
  IPCLAB_REQUIRE(channel);
  IPCLAB_REQUIRE(region);
  return guarded([&] {
    *region = channelOf(channel)->tryReserve(bytes, kind);
    return *region != nullptr ? IPCLAB_OK : IPCLAB_AGAIN;
  });
}

int ipclab_channel_commit(ipclab_channel* channel, size_t bytes) {
  IPCLAB_REQUIRE(channel);
  return guarded([&] {
    channelOf(channel)->commit(bytes);
    return IPCLAB_OK;
  });
}

int ipclab_channel_receive(ipclab_channel* channel, void* buffer, size_t capacity, int64_t timeout_ms, ipclab_message_info* info) {
  IPCLAB_REQUIRE(channel);
  return guarded([&] {
    setInfo(info, channelOf(channel)->receive(buffer, capacity, timeout_ms));
    return IPCLAB_OK;
  });
}

int ipclab_channel_try_receive(ipclab_channel* channel, void* buffer, size_t capacity, ipclab_message_info* info) {
  IPCLAB_REQUIRE(channel);
  return guarded([&] {
    ipclab::MessageInfo message{};
    if (!channelOf(channel)->tryReceive(buffer, capacity, message)) return IPCLAB_AGAIN;
    setInfo(info, message);
    return IPCLAB_OK;
  });
}

int ipclab_channel_peek(ipclab_channel* channel, int64_t timeout_ms, ipclab_message_info* info) {
  IPCLAB_REQUIRE(channel);
  return guarded([&] {
    setInfo(info, channelOf(channel)->peek(timeout_ms));
    return IPCLAB_OK;
  });
}

int ipclab_channel_try_peek(ipclab_channel* channel, ipclab_message_info* info) {
  IPCLAB_REQUIRE(channel);
  return guarded([&] {
    ipclab::MessageInfo message{};
    if (!channelOf(channel)->tryPeek(message)) return IPCLAB_AGAIN;
    setInfo(info, message);
    return IPCLAB_OK;
  });
}

int ipclab_channel_receive_many(ipclab_channel* channel, void* buffer, size_t capacity, size_t* lengths, uint8_t* kinds, size_t max,
                                int64_t timeout_ms, size_t* count) {
  if (const int status = checkBatch(channel, lengths, kinds, max, count)) return status;
  return guarded([&] {
    *count = channelOf(channel)->receiveMany({static_cast<unsigned char*>(buffer), capacity, lengths, kinds, max}, timeout_ms);
    return IPCLAB_OK;
  });
}

int ipclab_channel_try_receive_many(ipclab_channel* channel, void* buffer, size_t capacity, size_t* lengths, uint8_t* kinds, size_t max,
                                    size_t* count) {
  if (const int status = checkBatch(channel, lengths, kinds, max, count)) return status;
  return guarded([&] {
    *count = channelOf(channel)->tryReceiveMany({static_cast<unsigned char*>(buffer), capacity, lengths, kinds, max});
    return *count != 0 ? IPCLAB_OK : IPCLAB_AGAIN;
  });
}

int ipclab_channel_receive_in_place(ipclab_channel* channel, int64_t timeout_ms, const void** data, ipclab_message_info* info) {
  IPCLAB_REQUIRE(channel);
  IPCLAB_REQUIRE(data);
  return guarded([&] {
    const ipclab::InPlaceMessage message = channelOf(channel)->receiveInPlace(timeout_ms);
    *data = message.data;
    setInfo(info, {message.bytes, message.kind});
    return IPCLAB_OK;
  });
}

int ipclab_channel_try_receive_in_place(ipclab_channel* channel, const void** data, ipclab_message_info* info) {
  IPCLAB_REQUIRE(channel);
  IPCLAB_REQUIRE(data);
  return guarded([&] {
    ipclab::InPlaceMessage message{};
    if (!channelOf(channel)->tryReceiveInPlace(message)) return IPCLAB_AGAIN;
    *data = message.data;
    setInfo(info, {message.bytes, message.kind});
    return IPCLAB_OK;
  });
}

int ipclab_channel_release(ipclab_channel* channel) {
  IPCLAB_REQUIRE(channel);
  return guarded([&] {
    channelOf(channel)->release();
    return IPCLAB_OK;
  });
}

}  // extern "C"

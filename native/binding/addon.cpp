// Module entry: classes, the channel layout constants and wake-up primitives, the memcpy probe and
// the two-process floor.
#include <napi.h>

#include <cstdint>

#include "../core/channel_layout.hpp"
#include "../core/channel_wake.hpp"
#include "../core/memcpy_probe.hpp"
#include "../core/segment_reference.hpp"
#include "addon_data.hpp"
#include "args.hpp"
#include "semaphore_handle.hpp"
#include "shared_memory_handle.hpp"

namespace ipclab::binding {

namespace {

Napi::Value setErrorClass(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "errorClass must be a constructor");
  AddonData::of(info.Env()).ipcErrorClass = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value measureMemcpy(const Napi::CallbackInfo& info) {
  auto bytes = static_cast<size_t>(integerArg(info, 0, "bytes", 0, int64_t{1} << 40));
  MemcpyTiming timing = guarded(info.Env(), [&] { return ipclab::measureMemcpy(bytes); });
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("freshSeconds", timing.freshSeconds);
  result.Set("warmSeconds", timing.warmSeconds);
  return result;
}

Napi::Value fillFreshSegment(const Napi::CallbackInfo& info) {
  std::string name = nameArg(info, 0, "name");
  auto bytes = static_cast<size_t>(integerArg(info, 1, "bytes", 0, int64_t{1} << 40));
  ipclab::SegmentFill fill = guarded(info.Env(), [&] { return ipclab::fillFreshSegment(name, bytes); });
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("setupSeconds", fill.setupSeconds);
  result.Set("produceSeconds", fill.produceSeconds);
  return result;
}

Napi::Value readSegment(const Napi::CallbackInfo& info) {
  std::string name = nameArg(info, 0, "name");
  auto bytes = static_cast<size_t>(integerArg(info, 1, "bytes", 0, int64_t{1} << 40));
  SegmentRead read = guarded(info.Env(), [&] { return ipclab::readSegment(name, bytes); });
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("seconds", read.seconds);
  result.Set("verified", read.verified);
  return result;
}

Napi::Object channelLayout(Napi::Env env) {
  using namespace ipclab::channel;
  Napi::Object layout = Napi::Object::New(env);
  const std::pair<const char*, double> fields[] = {
      {"magic", kMagic},
      {"version", kVersion},
      {"magicOffset", kMagicOffset},
      {"versionOffset", kVersionOffset},
      {"ringBytesOffset", kRingBytesOffset},
      {"stateOffset", kStateOffset},
      {"handleTableLockOffset", kHandleTableLockOffset},
      {"unsentOffset", kUnsentOffset},
      {"tailOffset", kTailOffset},
      {"tailSequenceOffset", kTailSequenceOffset},
      {"headOffset", kHeadOffset},
      {"consumerWaitingOffset", kConsumerWaitingOffset},
      {"consumerWakeSequenceOffset", kConsumerWakeSequenceOffset},
      {"consumerDoorbellOffset", kConsumerDoorbellOffset},
      {"producerWaitingOffset", kProducerWaitingOffset},
      {"producerWakeSequenceOffset", kProducerWakeSequenceOffset},
      {"producerDoorbellOffset", kProducerDoorbellOffset},
      {"wakeSequenceDelta", kWakeSequenceDelta},
      {"doorbellDelta", kDoorbellDelta},
      {"headerBytes", kHeaderBytes},
      {"producerClosed", kProducerClosed},
      {"consumerClosed", kConsumerClosed},
      {"waitFutex", kWaitFutex},
      {"waitDoorbell", kWaitDoorbell},
      {"minRingBytes", kMinRingBytes},
      {"maxRingBytes", kMaxRingBytes},
      {"recordAlignment", kRecordAlignment},
      {"recordSizeOffset", kRecordSizeOffset},
      {"recordKindOffset", kRecordKindOffset},
      {"recordFlagsOffset", kRecordFlagsOffset},
      {"recordSequenceOffset", kRecordSequenceOffset},
      {"recordMessageBytesOffset", kRecordMessageBytesOffset},
      {"recordHeaderBytes", kRecordHeaderBytes},
      {"firstRecordHeaderBytes", kFirstRecordHeaderBytes},
      {"recordPadding", kRecordPadding},
      {"recordFirst", kRecordFirst},
      {"recordContinued", kRecordContinued},
      {"kindBytes", kKindBytes},
      {"kindDataView", kKindDataView},
      {"kindJson", kKindJson},
      {"kindValue", kKindValue},
      {"handleTableOffset", kHandleTableOffset},
      {"handleEntrySize", kHandleEntrySize},
      {"handlePidOffset", kHandlePidOffset},
      {"handleFlagsOffset", kHandleFlagsOffset},
      {"handleStartTimeOffset", kHandleStartTimeOffset},
      {"maxHandles", kMaxHandles},
      {"handleProducer", kHandleProducer},
      {"handleConsumer", kHandleConsumer},
      {"handleClosed", kHandleClosed},
  };
  for (const auto& [name, value] : fields) layout.Set(name, value);
  return layout;
}

// A channel's waiting word: one of the two the protocol defines.
uint32_t waitingOffsetArg(const Napi::CallbackInfo& info, size_t index) {
  auto offset = static_cast<uint32_t>(integerArg(info, index, "waitingOffset", 0, channel::kHeaderBytes));
  if (offset != channel::kConsumerWaitingOffset && offset != channel::kProducerWaitingOffset) {
    throw Napi::RangeError::New(info.Env(), "waitingOffset must be the consumer's or the producer's waiting word, got " +
                                                std::to_string(offset));
  }
  return offset;
}

// The mapped header of a channel segment passed from JS (ERR_CLOSED once closed).
std::shared_ptr<Mapping> channelHeaderArg(const Napi::CallbackInfo& info, size_t index) {
  std::shared_ptr<Mapping> mapping = guarded(info.Env(), [&] { return SharedMemoryHandle::mappingOf(info[index]); });
  if (mapping->length() < channel::kHeaderBytes || !mapping->writable()) {
    throw Napi::RangeError::New(info.Env(), "segment must be a writable channel segment of at least " +
                                                std::to_string(channel::kHeaderBytes) + " bytes");
  }
  return mapping;
}

// wakeWaiter(segment, waitingOffset): the waker's step; returns the wait bits it cleared.
Napi::Value wakeWaiter(const Napi::CallbackInfo& info) {
  std::shared_ptr<Mapping> mapping = channelHeaderArg(info, 0);
  uint32_t offset = waitingOffsetArg(info, 1);
  return Napi::Number::New(info.Env(), channel::wakeWaiter(mapping->address(), offset));
}

// armDoorbell(segment, waitingOffset): writes this environment's doorbell id into that waiting
// line, so a waker can ring it; false when no doorbell can be made here.
Napi::Value armDoorbell(const Napi::CallbackInfo& info) {
  std::shared_ptr<Mapping> mapping = channelHeaderArg(info, 0);
  uint32_t offset = waitingOffsetArg(info, 1);
  uint64_t id = AddonData::of(info.Env()).doorbell->id();
  if (id == 0) return Napi::Boolean::New(info.Env(), false);
  auto* field = reinterpret_cast<uint64_t*>(mapping->address() + offset + channel::kDoorbellDelta);
  if (__atomic_load_n(field, __ATOMIC_SEQ_CST) != id) __atomic_store_n(field, id, __ATOMIC_SEQ_CST);
  return Napi::Boolean::New(info.Env(), true);
}

// waitDoorbell(timeoutMs): resolves true at this environment's next doorbell ring, false after
// timeoutMs (-1: never). Rejects when no doorbell can be made.
Napi::Value waitDoorbell(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t timeoutMs = integerArg(info, 0, "timeoutMs", -1, int64_t{1} << 52);
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  if (!AddonData::of(env).doorbell->waitForRing(timeoutMs, deferred)) {
    deferred.Reject(makeIpcError(env, {"ERR_IPC", "cannot open this event loop's doorbell socket", 0, "socket", ""}).Value());
  }
  return deferred.Promise();
}

// watchProcessExit(pid): rings this environment's doorbell when process `pid` exits (a pidfd); a
// token, or 0 when no watch can be made here.
Napi::Value watchProcessExit(const Napi::CallbackInfo& info) {
  auto pid = static_cast<int>(integerArg(info, 0, "pid", 1, int64_t{1} << 22));
  return Napi::Number::New(info.Env(), AddonData::of(info.Env()).doorbell->watchExit(pid));
}

// watchingProcessExit(token): whether that watch still waits for its process to exit.
Napi::Value watchingProcessExit(const Napi::CallbackInfo& info) {
  auto token = static_cast<uint32_t>(integerArg(info, 0, "token", 0, UINT32_MAX));
  return Napi::Boolean::New(info.Env(), AddonData::of(info.Env()).doorbell->watchingExit(token));
}

// unwatchProcessExit(token): ends that watch (a no-op once it ended).
Napi::Value unwatchProcessExit(const Napi::CallbackInfo& info) {
  auto token = static_cast<uint32_t>(integerArg(info, 0, "token", 0, UINT32_MAX));
  AddonData::of(info.Env()).doorbell->unwatchExit(token);
  return info.Env().Undefined();
}

void cleanup(Napi::Env, AddonData* data) {
  data->completionGate->close();  // idempotent: the cleanup hook normally closed it already
  delete data;
}

// Registered after the thread-safe function, so it runs before Node tears that function down.
void closeCompletionGate(CompletionGate* gate) { gate->close(); }

// Closes the doorbell's libuv handles while the loop can still run their close callbacks.
void shutDownDoorbell(Doorbell* doorbell) { doorbell->shutDown(); }

}  // namespace

Napi::Object init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData<AddonData, cleanup>(data);
  data->sharedMemoryClass = Napi::Persistent(SharedMemoryHandle::define(env));
  data->semaphoreClass = Napi::Persistent(SemaphoreHandle::define(env));
  data->waitCompletions = WaitCompletions::New(env, "ipclab:semaphore-wait", 0, 1, data);
  data->waitCompletions.Unref(env);
  data->completionGate = std::make_shared<CompletionGate>(data->waitCompletions);
  napi_add_env_cleanup_hook(env, reinterpret_cast<void (*)(void*)>(closeCompletionGate), data->completionGate.get());
  data->doorbell = std::make_unique<Doorbell>(env);
  napi_add_env_cleanup_hook(env, reinterpret_cast<void (*)(void*)>(shutDownDoorbell), data->doorbell.get());

  exports.Set("SharedMemoryHandle", data->sharedMemoryClass.Value());
  exports.Set("SemaphoreHandle", data->semaphoreClass.Value());
  exports.Set("setErrorClass", Napi::Function::New<setErrorClass>(env, "setErrorClass"));
  exports.Set("measureMemcpy", Napi::Function::New<measureMemcpy>(env, "measureMemcpy"));
  exports.Set("fillFreshSegment", Napi::Function::New<fillFreshSegment>(env, "fillFreshSegment"));
  exports.Set("readSegment", Napi::Function::New<readSegment>(env, "readSegment"));
  exports.Set("channelLayout", channelLayout(env));
  exports.Set("wakeWaiter", Napi::Function::New<wakeWaiter>(env, "wakeWaiter"));
  exports.Set("armDoorbell", Napi::Function::New<armDoorbell>(env, "armDoorbell"));
  exports.Set("waitDoorbell", Napi::Function::New<waitDoorbell>(env, "waitDoorbell"));
  exports.Set("watchProcessExit", Napi::Function::New<watchProcessExit>(env, "watchProcessExit"));
  exports.Set("watchingProcessExit", Napi::Function::New<watchingProcessExit>(env, "watchingProcessExit"));
  exports.Set("unwatchProcessExit", Napi::Function::New<unwatchProcessExit>(env, "unwatchProcessExit"));
  return exports;
}

}  // namespace ipclab::binding

static Napi::Object initIpclab(Napi::Env env, Napi::Object exports) { return ipclab::binding::init(env, exports); }

NODE_API_MODULE(ipclab, initIpclab)

// Module entry: classes, the channel layout constants, the memcpy probe and the two-process floor.
#include <napi.h>

#include "../core/channel_layout.hpp"
#include "../core/memcpy_probe.hpp"
#include "../core/segment_floor.hpp"
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
  return Napi::Number::New(info.Env(), guarded(info.Env(), [&] { return ipclab::fillFreshSegment(name, bytes); }));
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
      {"slotCountOffset", kSlotCountOffset},
      {"stateOffset", kStateOffset},
      {"handleTableLockOffset", kHandleTableLockOffset},
      {"slotSizeOffset", kSlotSizeOffset},
      {"dataReadySemOffset", kDataReadySemOffset},
      {"slotFreeSemOffset", kSlotFreeSemOffset},
      {"slotTableOffset", kSlotTableOffset},
      {"producerClosed", kProducerClosed},
      {"consumerClosed", kConsumerClosed},
      {"consumerAttached", kConsumerAttached},
      {"slotEntrySize", kSlotEntrySize},
      {"entryMessageBytesOffset", kEntryMessageBytesOffset},
      {"entryChunkOffsetOffset", kEntryChunkOffsetOffset},
      {"entryChunkBytesOffset", kEntryChunkBytesOffset},
      {"entryKindOffset", kEntryKindOffset},
      {"entrySequenceOffset", kEntrySequenceOffset},
      {"handleTableOffset", kHandleTableOffset},
      {"handleEntrySize", kHandleEntrySize},
      {"handlePidOffset", kHandlePidOffset},
      {"handleFlagsOffset", kHandleFlagsOffset},
      {"handleStartTimeOffset", kHandleStartTimeOffset},
      {"maxHandles", kMaxHandles},
      {"handleProducer", kHandleProducer},
      {"handleConsumer", kHandleConsumer},
      {"handleClosed", kHandleClosed},
      {"maxSlots", kMaxSlots},
      {"headerBytes", kHeaderBytes},
      {"slotAlignment", kSlotAlignment},
  };
  for (const auto& [name, value] : fields) layout.Set(name, value);
  return layout;
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
  return exports;
}

}  // namespace ipclab::binding

static Napi::Object initIpclab(Napi::Env env, Napi::Object exports) { return ipclab::binding::init(env, exports); }

NODE_API_MODULE(ipclab, initIpclab)

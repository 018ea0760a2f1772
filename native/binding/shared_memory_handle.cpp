#include "shared_memory_handle.hpp"

#include <climits>

#include "../core/errors.hpp"
#include "addon_data.hpp"
#include "args.hpp"

namespace ipclab::binding {

namespace {

constexpr int64_t kMaxSegmentBytes = int64_t{1} << 46;  // what the TS layer accepts too

}  // namespace

Napi::Function SharedMemoryHandle::define(Napi::Env env) {
  return DefineClass(env, "SharedMemoryHandle",
                     {
                         StaticMethod<&SharedMemoryHandle::create>("create"),
                         StaticMethod<&SharedMemoryHandle::open>("open"),
                         StaticMethod<&SharedMemoryHandle::unlink>("unlink"),
                         InstanceMethod<&SharedMemoryHandle::buffer>("buffer"),
                         InstanceMethod<&SharedMemoryHandle::close>("close"),
                         InstanceMethod<&SharedMemoryHandle::created>("created"),
                     });
}

SharedMemoryHandle::SharedMemoryHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SharedMemoryHandle>(info) {
  if (info.Length() != 1 || !info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "SharedMemoryHandle is made by create() or open(), not by new");
  }
  auto* segment = info[0].As<Napi::External<Segment>>().Data();
  mapping_ = segment->mapping();
  created_ = segment->created();

  // The buffer keeps the mapping alive until it is garbage collected; close() unmaps earlier,
  // after detaching the buffer, so JS can never reach unmapped memory.
  Napi::Env env = info.Env();
  auto* keepAlive = new std::shared_ptr<Mapping>(mapping_);
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(
      env, mapping_->address(), mapping_->length(),
      [](Napi::Env, void*, std::shared_ptr<Mapping>* hint) { delete hint; }, keepAlive);
  buffer_ = Napi::Persistent(buffer);
}

SharedMemoryHandle::~SharedMemoryHandle() {
  // Garbage collected without close(): the buffer's own reference keeps the memory mapped.
  mapping_.reset();
}

Napi::Value SharedMemoryHandle::wrap(Napi::Env env, Segment segment) {
  Napi::External<Segment> external = Napi::External<Segment>::New(env, &segment);
  return AddonData::of(env).sharedMemoryClass.New({external});
}

Napi::Value SharedMemoryHandle::create(const Napi::CallbackInfo& info) {
  std::string name = nameArg(info, 0, "name");
  size_t size = static_cast<size_t>(integerArg(info, 1, "size", 1, kMaxSegmentBytes));
  CreateOptions options;
  options.mode = static_cast<unsigned>(integerArg(info, 2, "mode", 0, 0777));
  options.exclusive = boolArg(info, 3, "exclusive");
  options.populate = boolArg(info, 4, "populate");
  return guarded(info.Env(), [&] { return wrap(info.Env(), Segment::create(name, size, options)); });
}

Napi::Value SharedMemoryHandle::open(const Napi::CallbackInfo& info) {
  std::string name = nameArg(info, 0, "name");
  bool readOnly = boolArg(info, 1, "readOnly");
  bool populate = boolArg(info, 2, "populate");
  return guarded(info.Env(), [&] { return wrap(info.Env(), Segment::open(name, readOnly, populate)); });
}

Napi::Value SharedMemoryHandle::unlink(const Napi::CallbackInfo& info) {
  std::string name = nameArg(info, 0, "name");
  return Napi::Boolean::New(info.Env(), guarded(info.Env(), [&] { return Segment::unlink(name); }));
}

Napi::Value SharedMemoryHandle::buffer(const Napi::CallbackInfo& info) {
  if (closed_) throw makeIpcError(info.Env(), {"ERR_CLOSED", "the shared memory is closed", 0, "", ""});
  return buffer_.Value();
}

Napi::Value SharedMemoryHandle::created(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), created_);
}

Napi::Value SharedMemoryHandle::close(const Napi::CallbackInfo& info) {
  if (closed_) return info.Env().Undefined();
  closed_ = true;
  Napi::ArrayBuffer buffer = buffer_.Value();
  if (!buffer.IsDetached()) buffer.Detach();
  buffer_.Reset();
  mapping_->close();
  mapping_.reset();
  return info.Env().Undefined();
}

std::shared_ptr<Mapping> SharedMemoryHandle::mappingOf(Napi::Value handle) {
  Napi::Env env = handle.Env();
  if (!handle.IsObject() || !handle.As<Napi::Object>().InstanceOf(AddonData::of(env).sharedMemoryClass.Value())) {
    throw Napi::TypeError::New(env, "segment must be a SharedMemory");
  }
  SharedMemoryHandle* self = Unwrap(handle.As<Napi::Object>());
  if (self->closed_) throw makeIpcError(env, {"ERR_CLOSED", "the shared memory is closed", 0, "", ""});
  return self->mapping_;
}

}  // namespace ipclab::binding

// JS object over a core Segment: its zero-copy ArrayBuffer and an idempotent close().
#pragma once

#include <napi.h>

#include <memory>

#include "../core/segment.hpp"

namespace ipclab::binding {

class SharedMemoryHandle : public Napi::ObjectWrap<SharedMemoryHandle> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit SharedMemoryHandle(const Napi::CallbackInfo& info);
  ~SharedMemoryHandle() override;

  // The mapping of a handle passed from JS; throws ERR_CLOSED once closed.
  static std::shared_ptr<Mapping> mappingOf(Napi::Value handle);

 private:
  static Napi::Value create(const Napi::CallbackInfo& info);
  static Napi::Value open(const Napi::CallbackInfo& info);
  static Napi::Value unlink(const Napi::CallbackInfo& info);
  static Napi::Value wrap(Napi::Env env, Segment segment);

  Napi::Value buffer(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);
  Napi::Value created(const Napi::CallbackInfo& info);

  std::shared_ptr<Mapping> mapping_;
  Napi::Reference<Napi::ArrayBuffer> buffer_;
  bool created_ = false;
  bool closed_ = false;
};

}  // namespace ipclab::binding

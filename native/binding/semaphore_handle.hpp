// JS object over a core Semaphore; wait() resolves a Promise from a dedicated waiter thread.
#pragma once

#include <napi.h>

#include <memory>

#include "../core/semaphore.hpp"

namespace ipclab::binding {

class SemaphoreHandle : public Napi::ObjectWrap<SemaphoreHandle> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit SemaphoreHandle(const Napi::CallbackInfo& info);

 private:
  static Napi::Value create(const Napi::CallbackInfo& info);
  static Napi::Value open(const Napi::CallbackInfo& info);
  static Napi::Value unlink(const Napi::CallbackInfo& info);
  static Napi::Value createIn(const Napi::CallbackInfo& info);
  static Napi::Value openIn(const Napi::CallbackInfo& info);
  static Napi::Value wrap(Napi::Env env, std::shared_ptr<Semaphore> semaphore);

  Napi::Value post(const Napi::CallbackInfo& info);
  Napi::Value tryWait(const Napi::CallbackInfo& info);
  Napi::Value waitSync(const Napi::CallbackInfo& info);
  Napi::Value wait(const Napi::CallbackInfo& info);
  Napi::Value value(const Napi::CallbackInfo& info);
  Napi::Value close(const Napi::CallbackInfo& info);

  Semaphore& live(Napi::Env env, const char* operation);

  std::shared_ptr<Semaphore> semaphore_;
};

}  // namespace ipclab::binding

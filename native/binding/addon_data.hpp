// Per-environment state of the addon: the JS error class, the doorbell and the waiter threads' completion channel.
#pragma once

#include <napi.h>

#include <memory>
#include <mutex>
#include <string>

#include "doorbell.hpp"

namespace ipclab::binding {

struct WaitJob;
struct AddonData;

void deliverWaitCompletion(Napi::Env env, Napi::Function, AddonData* data, WaitJob* job);

using WaitCompletions = Napi::TypedThreadSafeFunction<AddonData, WaitJob, deliverWaitCompletion>;

// Waiter threads hand results to the JS thread through here. Node deletes a thread-safe function
// when its environment is torn down, whoever still holds it, so threads may only touch it while
// the gate is open; an environment cleanup hook closes the gate before that teardown.
class CompletionGate {
 public:
  explicit CompletionGate(WaitCompletions completions) : completions_(completions) {}
  // Queues the job for the JS thread; false once the environment is gone (the caller owns it then).
  bool deliver(WaitJob* job);
  // JS thread, at environment cleanup: no delivery after this returns.
  void close();

 private:
  std::mutex mutex_;
  bool open_ = true;
  WaitCompletions completions_;
};

struct AddonData {
  Napi::FunctionReference ipcErrorClass;
  Napi::FunctionReference sharedMemoryClass;
  Napi::FunctionReference semaphoreClass;
  WaitCompletions waitCompletions;
  std::shared_ptr<CompletionGate> completionGate;
  int pendingWaits = 0;  // waits on waiter threads
  std::unique_ptr<Doorbell> doorbell;

  static AddonData& of(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }
};

struct ErrorDetails {
  std::string code;
  std::string message;
  int err = 0;
  std::string syscall;
  std::string objectName;
};

// An instance of the IpcError class that TypeScript registered (a plain Error before that).
Napi::Error makeIpcError(Napi::Env env, const ErrorDetails& details);

// Runs body, turning core exceptions (SystemError, UsageError, bad_alloc) into IpcError.
template <typename Body>
auto guarded(Napi::Env env, Body&& body) -> decltype(body());

ErrorDetails detailsOfCurrentException();

template <typename Body>
auto guarded(Napi::Env env, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (...) {
    throw makeIpcError(env, detailsOfCurrentException());
  }
}

}  // namespace ipclab::binding

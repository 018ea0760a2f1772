#include "semaphore_handle.hpp"

#include <climits>

#include "../core/errors.hpp"
#include "../core/futex_semaphore.hpp"
#include "../core/named_semaphore.hpp"
#include "addon_data.hpp"
#include "args.hpp"
#include "shared_memory_handle.hpp"
#include "waiter_pool.hpp"

namespace ipclab::binding {

namespace {

constexpr int64_t kMaxTimeoutMs = int64_t{1} << 52;
constexpr int64_t kMaxInitial = SEM_VALUE_MAX;
constexpr int64_t kMaxSpinMicros = 1000000;

// A negative timeout means "wait forever".
int64_t timeoutArg(const Napi::CallbackInfo& info, size_t index) {
  return integerArg(info, index, "timeoutMs", -1, kMaxTimeoutMs);
}

}  // namespace

struct WaitJob {
  std::shared_ptr<Semaphore> semaphore;
  int64_t timeoutMs;
  Napi::Promise::Deferred deferred;
  WaitResult result = WaitResult::TimedOut;
  bool failed = false;
  ErrorDetails error;
};

void deliverWaitCompletion(Napi::Env env, Napi::Function, AddonData* data, WaitJob* job) {
  std::unique_ptr<WaitJob> owned(job);
  if (env == nullptr) return;  // the environment is shutting down
  if (--data->pendingWaits == 0) data->waitCompletions.Unref(env);
  if (job->failed) {
    job->deferred.Reject(makeIpcError(env, job->error).Value());
  } else if (job->result == WaitResult::Cancelled) {
    job->deferred.Reject(makeIpcError(env, {"ERR_CLOSED", "wait() on " + job->semaphore->name() +
                                                              " was cut short: the semaphore or its segment was closed",
                                            0, "", job->semaphore->name()})
                             .Value());
  } else {
    job->deferred.Resolve(Napi::Boolean::New(env, job->result == WaitResult::Acquired));
  }
}

Napi::Function SemaphoreHandle::define(Napi::Env env) {
  return DefineClass(env, "SemaphoreHandle",
                     {
                         StaticMethod<&SemaphoreHandle::create>("create"),
                         StaticMethod<&SemaphoreHandle::open>("open"),
                         StaticMethod<&SemaphoreHandle::unlink>("unlink"),
                         StaticMethod<&SemaphoreHandle::createIn>("createIn"),
                         StaticMethod<&SemaphoreHandle::openIn>("openIn"),
                         InstanceMethod<&SemaphoreHandle::post>("post"),
                         InstanceMethod<&SemaphoreHandle::tryWait>("tryWait"),
                         InstanceMethod<&SemaphoreHandle::waitSync>("waitSync"),
                         InstanceMethod<&SemaphoreHandle::wait>("wait"),
                         InstanceMethod<&SemaphoreHandle::value>("value"),
                         InstanceMethod<&SemaphoreHandle::close>("close"),
                         StaticValue("byteLength", Napi::Number::New(env, FutexSemaphore::kSize)),
                         StaticValue("alignment", Napi::Number::New(env, FutexSemaphore::kAlignment)),
                     });
}

SemaphoreHandle::SemaphoreHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<SemaphoreHandle>(info) {
  if (info.Length() != 1 || !info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "SemaphoreHandle is made by its static methods, not by new");
  }
  semaphore_ = *info[0].As<Napi::External<std::shared_ptr<Semaphore>>>().Data();
}

Napi::Value SemaphoreHandle::wrap(Napi::Env env, std::shared_ptr<Semaphore> semaphore) {
  auto external = Napi::External<std::shared_ptr<Semaphore>>::New(env, &semaphore);
  return AddonData::of(env).semaphoreClass.New({external});
}

Napi::Value SemaphoreHandle::create(const Napi::CallbackInfo& info) {
  std::string name = nameArg(info, 0, "name");
  auto initial = static_cast<unsigned>(integerArg(info, 1, "initial", 0, kMaxInitial));
  auto mode = static_cast<unsigned>(integerArg(info, 2, "mode", 0, 0777));
  bool exclusive = boolArg(info, 3, "exclusive");
  return guarded(info.Env(), [&] { return wrap(info.Env(), NamedSemaphore::create(name, initial, mode, exclusive)); });
}

Napi::Value SemaphoreHandle::open(const Napi::CallbackInfo& info) {
  std::string name = nameArg(info, 0, "name");
  return guarded(info.Env(), [&] { return wrap(info.Env(), NamedSemaphore::open(name)); });
}

Napi::Value SemaphoreHandle::unlink(const Napi::CallbackInfo& info) {
  std::string name = nameArg(info, 0, "name");
  return Napi::Boolean::New(info.Env(), guarded(info.Env(), [&] { return NamedSemaphore::unlink(name); }));
}

Napi::Value SemaphoreHandle::createIn(const Napi::CallbackInfo& info) {
  auto mapping = SharedMemoryHandle::mappingOf(info[0]);
  auto offset = static_cast<size_t>(integerArg(info, 1, "offset", 0, static_cast<int64_t>(mapping->length())));
  auto initial = static_cast<unsigned>(integerArg(info, 2, "initial", 0, kMaxInitial));
  return guarded(info.Env(), [&] { return wrap(info.Env(), FutexSemaphore::createIn(mapping, offset, initial)); });
}

Napi::Value SemaphoreHandle::openIn(const Napi::CallbackInfo& info) {
  auto mapping = SharedMemoryHandle::mappingOf(info[0]);
  auto offset = static_cast<size_t>(integerArg(info, 1, "offset", 0, static_cast<int64_t>(mapping->length())));
  return guarded(info.Env(), [&] { return wrap(info.Env(), FutexSemaphore::openIn(mapping, offset)); });
}

Semaphore& SemaphoreHandle::live(Napi::Env env, const char* operation) {
  if (!semaphore_ || semaphore_->closedOrUnmapped()) {
    std::string name = semaphore_ ? semaphore_->name() : "semaphore";
    throw makeIpcError(env, {"ERR_CLOSED", std::string("cannot ") + operation + " " + name +
                                               ": it (or the shared memory holding it) is closed",
                             0, "", name});
  }
  return *semaphore_;
}

Napi::Value SemaphoreHandle::post(const Napi::CallbackInfo& info) {
  Semaphore& semaphore = live(info.Env(), "post");
  guarded(info.Env(), [&] { semaphore.post(); });
  return info.Env().Undefined();
}

Napi::Value SemaphoreHandle::tryWait(const Napi::CallbackInfo& info) {
  Semaphore& semaphore = live(info.Env(), "tryWait");
  // An optional spin: busy-wait up to that many microseconds for a unit, never sleeping.
  int64_t spinMicros = info.Length() > 0 && !info[0].IsUndefined() ? integerArg(info, 0, "spinMicros", 0, kMaxSpinMicros) : 0;
  return Napi::Boolean::New(info.Env(), guarded(info.Env(), [&] { return semaphore.spinWait(spinMicros); }));
}

Napi::Value SemaphoreHandle::value(const Napi::CallbackInfo& info) {
  Semaphore& semaphore = live(info.Env(), "read");
  return Napi::Number::New(info.Env(), guarded(info.Env(), [&] { return semaphore.value(); }));
}

Napi::Value SemaphoreHandle::waitSync(const Napi::CallbackInfo& info) {
  Semaphore& semaphore = live(info.Env(), "waitSync");
  int64_t timeoutMs = timeoutArg(info, 0);
  WaitResult result = guarded(info.Env(), [&] { return semaphore.wait(timeoutMs, false); });
  return Napi::Boolean::New(info.Env(), result == WaitResult::Acquired);
}

Napi::Value SemaphoreHandle::wait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Semaphore& semaphore = live(env, "wait");
  int64_t timeoutMs = timeoutArg(info, 0);
  int64_t spinMicros = info.Length() > 1 && !info[1].IsUndefined() ? integerArg(info, 1, "spinMicros", 0, kMaxSpinMicros) : 0;
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  // Fast path: no waiting when the semaphore is already available (or becomes so while the
  // caller lets us spin), or the caller will not wait.
  bool acquired = guarded(env, [&] { return semaphore.spinWait(timeoutMs == 0 ? 0 : spinMicros); });
  if (acquired || timeoutMs == 0) {
    deferred.Resolve(Napi::Boolean::New(env, acquired));
    return deferred.Promise();
  }
  AddonData& data = AddonData::of(env);
  // One hop: the loop polls a doorbell the poster rings. Otherwise a waiter thread blocks for us.
  if (guarded(env, [&] { return data.doorbell->wait(semaphore_, timeoutMs, deferred); })) return deferred.Promise();
  if (!semaphore.acquireForWaiter()) live(env, "wait");  // closed meanwhile: throws

  if (data.pendingWaits++ == 0) data.waitCompletions.Ref(env);
  auto* job = new WaitJob{semaphore_, timeoutMs, deferred, WaitResult::TimedOut, false, {}};
  std::shared_ptr<CompletionGate> gate = data.completionGate;
  WaiterPool::instance().run([job, gate]() {
    try {
      job->result = job->semaphore->wait(job->timeoutMs, true);
    } catch (...) {
      job->failed = true;
      job->error = detailsOfCurrentException();
    }
    job->semaphore->releaseForWaiter();
    if (!gate->deliver(job)) delete job;  // the environment is gone: nobody awaits the result
  });
  return deferred.Promise();
}

Napi::Value SemaphoreHandle::close(const Napi::CallbackInfo& info) {
  if (semaphore_) {
    semaphore_->close();
    semaphore_.reset();  // pending waiter threads hold their own reference until they return
    AddonData::of(info.Env()).doorbell->settle(true);  // its doorbell waits end with ERR_CLOSED now
  }
  return info.Env().Undefined();
}

}  // namespace ipclab::binding

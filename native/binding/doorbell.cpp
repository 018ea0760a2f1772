#include "doorbell.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "../core/monotonic_clock.hpp"
#include "addon_data.hpp"

namespace ipclab::binding {

namespace {

Napi::Value closedError(Napi::Env env, const Semaphore& semaphore) {
  return makeIpcError(env, {"ERR_CLOSED", "wait() on " + semaphore.name() +
                                              " was cut short: the semaphore or its segment was closed",
                            0, "", semaphore.name()})
      .Value();
}

}  // namespace

Doorbell::Doorbell(Napi::Env env) : env_(env) {}

Doorbell::~Doorbell() { shutDown(); }

bool Doorbell::open() {
  if (listener_) return true;
  if (shutDown_) return false;
  if (napi_get_uv_event_loop(env_, &loop_) != napi_ok || loop_ == nullptr) return false;
  listener_ = doorbell::Listener::open();
  if (!listener_) return false;
  poll_ = new uv_poll_t;
  timer_ = new uv_timer_t;
  uv_poll_init(loop_, poll_, listener_->fd());
  uv_timer_init(loop_, timer_);
  poll_->data = this;
  timer_->data = this;
  asyncContext_ = std::make_unique<Napi::AsyncContext>(Napi::Env(env_), "ipclab:semaphore-wait");
  return true;
}

bool Doorbell::wait(const std::shared_ptr<Semaphore>& semaphore, int64_t timeoutMs, Napi::Promise::Deferred deferred) {
  if (!open() || !semaphore->armDoorbell(listener_->id())) return false;
  if (std::find(armed_.begin(), armed_.end(), semaphore) == armed_.end()) armed_.push_back(semaphore);
  // A post() that landed before the doorbell was armed rang nobody: look again.
  if (semaphore->tryWait()) {
    deferred.Resolve(Napi::Boolean::New(Napi::Env(env_), true));
  } else {
    double deadline = timeoutMs < 0 ? std::numeric_limits<double>::infinity() : monotonicMillis() + static_cast<double>(timeoutMs);
    pending_.push_back({semaphore, deadline, deferred});
  }
  schedule();
  return true;
}

uint64_t Doorbell::id() { return open() ? listener_->id() : 0; }

bool Doorbell::waitForRing(int64_t timeoutMs, Napi::Promise::Deferred deferred) {
  if (!open()) return false;
  double deadline = timeoutMs < 0 ? std::numeric_limits<double>::infinity() : monotonicMillis() + static_cast<double>(timeoutMs);
  ringWaits_.push_back({deadline, deferred});
  schedule();
  return true;
}

bool Doorbell::trySettle(Pending& pending, double now) {
  Napi::Env env(env_);
  if (pending.semaphore->closedOrUnmapped()) {
    pending.deferred.Reject(closedError(env, *pending.semaphore));
    return true;
  }
  bool acquired = false;
  try {
    acquired = pending.semaphore->tryWait();
  } catch (...) {
    pending.deferred.Reject(makeIpcError(env, detailsOfCurrentException()).Value());
    return true;
  }
  if (!acquired && now < pending.deadlineMs) return false;
  pending.deferred.Resolve(Napi::Boolean::New(env, acquired));
  return true;
}

void Doorbell::settle(bool insideJsCall, bool rang) {
  if ((pending_.empty() && ringWaits_.empty()) || !listener_) return;
  Napi::Env env(env_);
  Napi::HandleScope handleScope(env);
  // From the loop, settle inside a callback scope so promise reactions run when it closes.
  std::unique_ptr<Napi::CallbackScope> callbackScope;
  if (!insideJsCall) callbackScope = std::make_unique<Napi::CallbackScope>(env, *asyncContext_);
  const double now = monotonicMillis();
  for (auto it = pending_.begin(); it != pending_.end();) {
    it = trySettle(*it, now) ? pending_.erase(it) : std::next(it);
  }
  for (auto it = ringWaits_.begin(); it != ringWaits_.end();) {
    if (!rang && now < it->deadlineMs) {
      ++it;
      continue;
    }
    it->deferred.Resolve(Napi::Boolean::New(env, rang));
    it = ringWaits_.erase(it);
  }
  schedule();
}

void Doorbell::schedule() {
  if (pending_.empty() && ringWaits_.empty()) {
    if (polling_) {
      // Stays polled (no epoll_ctl per wait) but no longer keeps the process alive.
      uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
      uv_timer_stop(timer_);
      polling_ = false;
    }
    for (auto& semaphore : armed_) semaphore->disarmDoorbell(listener_->id());
    armed_.clear();
    return;
  }
  if (!polling_) {
    if (!uv_is_active(reinterpret_cast<uv_handle_t*>(poll_))) {
      uv_poll_start(poll_, UV_READABLE, [](uv_poll_t* handle, int, int) {
        auto* self = static_cast<Doorbell*>(handle->data);
        // One ring per call: the poll is level-triggered, so rings still queued call back again.
        self->listener_->drainOne();
        self->settleFromLoop(true);
      });
    }
    uv_ref(reinterpret_cast<uv_handle_t*>(poll_));
    polling_ = true;
  }
  // Wake at the nearest deadline, and at least every cancel slice while a semaphore wait must
  // notice a closed segment.
  double next = pending_.empty() ? std::numeric_limits<double>::infinity() : static_cast<double>(Semaphore::kCancelSliceMs);
  const double now = monotonicMillis();
  for (const auto& pending : pending_) next = std::min(next, std::max(0.0, pending.deadlineMs - now));
  for (const auto& wait : ringWaits_) next = std::min(next, std::max(0.0, wait.deadlineMs - now));
  if (std::isinf(next)) {
    uv_timer_stop(timer_);
    return;
  }
  uv_timer_start(
      timer_, [](uv_timer_t* handle) { static_cast<Doorbell*>(handle->data)->settleFromLoop(false); },
      static_cast<uint64_t>(std::ceil(next)), 0);
}

void Doorbell::settleFromLoop(bool rang) {
  try {
    settle(false, rang);
  } catch (...) {
    // Settling only resolves promises; nothing here may escape into libuv.
  }
}

uint32_t Doorbell::watchExit(int pid) {
#ifdef SYS_pidfd_open
  if (!open()) return 0;
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return 0;
  auto* watch = new ExitWatch{this, 0, pidfd, {}};
  if (uv_poll_init(loop_, &watch->poll, pidfd) != 0) {
    ::close(pidfd);
    delete watch;
    return 0;
  }
  do {
    watch->token = ++lastExitToken_;
  } while (watch->token == 0 || exitWatches_.count(watch->token) != 0);
  watch->poll.data = watch;
  exitWatches_[watch->token] = watch;
  uv_poll_start(&watch->poll, UV_READABLE, [](uv_poll_t* handle, int, int) {
    auto* exited = static_cast<ExitWatch*>(handle->data);
    Doorbell* self = exited->owner;
    self->unwatchExit(exited->token);
    self->settleFromLoop(true);
  });
  uv_unref(reinterpret_cast<uv_handle_t*>(&watch->poll));
  return watch->token;
#else
  (void)pid;
  return 0;
#endif
}

bool Doorbell::watchingExit(uint32_t token) const { return exitWatches_.count(token) != 0; }

void Doorbell::unwatchExit(uint32_t token) {
  auto found = exitWatches_.find(token);
  if (found == exitWatches_.end()) return;
  ExitWatch* watch = found->second;
  exitWatches_.erase(found);
  uv_poll_stop(&watch->poll);
  ::close(watch->pidfd);
  uv_close(reinterpret_cast<uv_handle_t*>(&watch->poll), [](uv_handle_t* handle) { delete static_cast<ExitWatch*>(handle->data); });
}

void Doorbell::shutDown() {
  if (shutDown_) return;
  shutDown_ = true;
  pending_.clear();
  ringWaits_.clear();
  while (!exitWatches_.empty()) unwatchExit(exitWatches_.begin()->first);
  for (auto& semaphore : armed_) semaphore->disarmDoorbell(listener_->id());
  armed_.clear();
  if (!listener_) return;
  uv_close(reinterpret_cast<uv_handle_t*>(poll_), [](uv_handle_t* handle) { delete reinterpret_cast<uv_poll_t*>(handle); });
  uv_close(reinterpret_cast<uv_handle_t*>(timer_), [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
  listener_.reset();
  asyncContext_.release();  // its env is being torn down; destroying it now would call into that env
}

}  // namespace ipclab::binding

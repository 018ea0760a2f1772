// One-hop async waits: the event loop polls this environment's doorbell (native/core/doorbell.hpp),
// and a peer's post() rings it directly, so a wake-up costs one cross-process hop instead of waking
// a waiter thread that then wakes the loop. Semaphores a doorbell cannot serve fall back to a
// waiter thread. This is the event-loop side only: libuv polling, timers and pending promises.
#pragma once

#include <napi.h>
#include <uv.h>

#include <cstdint>
#include <list>
#include <map>
#include <memory>

#include "../core/doorbell.hpp"
#include "../core/semaphore.hpp"

namespace ipclab::binding {

class Doorbell {
 public:
  explicit Doorbell(Napi::Env env);
  ~Doorbell();
  Doorbell(const Doorbell&) = delete;
  Doorbell& operator=(const Doorbell&) = delete;

  // Starts a wait that the doorbell resolves; false when it cannot serve this semaphore (a named
  // one, or another live process's doorbell holds it), and the caller waits on a thread instead.
  bool wait(const std::shared_ptr<Semaphore>& semaphore, int64_t timeoutMs, Napi::Promise::Deferred deferred);
  // This environment's doorbell id, opening the doorbell on first use; 0 when none can be made.
  uint64_t id();
  // Resolves true at the next ring (any ring, stale ones included: the caller re-checks what it
  // waits for), false after timeoutMs (negative: never). False when no doorbell can be made.
  bool waitForRing(int64_t timeoutMs, Napi::Promise::Deferred deferred);
  // Settles waits whose semaphore was taken, closed or timed out, and ring waits that timed out
  // (or all of them, when the doorbell rang). JS thread.
  void settle(bool insideJsCall, bool rang = false);
  // Environment cleanup: stops polling and drops pending waits (nobody can observe them any more).
  void shutDown();

  // Rings this doorbell when process `pid` exits, through a pidfd the loop polls without being kept
  // alive by it: a token for the watch, or 0 when none can be made (no pidfd_open, no such process).
  uint32_t watchExit(int pid);
  // Whether the watch still waits: false once its process exited or it was ended.
  bool watchingExit(uint32_t token) const;
  // Ends a watch; a token that already ended is ignored.
  void unwatchExit(uint32_t token);

 private:
  struct Pending {
    std::shared_ptr<Semaphore> semaphore;
    double deadlineMs;  // monotonic milliseconds; infinity when forever
    Napi::Promise::Deferred deferred;
  };
  struct RingWait {
    double deadlineMs;
    Napi::Promise::Deferred deferred;
  };
  struct ExitWatch {
    Doorbell* owner;
    uint32_t token;
    int pidfd;
    uv_poll_t poll;
  };

  bool open();
  // True once the wait is resolved or rejected.
  bool trySettle(Pending& pending, double now);
  void settleFromLoop(bool rang);
  // Polls and times while waits are pending; disarms every doorbell once none are.
  void schedule();

  napi_env env_;
  uv_loop_t* loop_ = nullptr;
  std::unique_ptr<doorbell::Listener> listener_;
  uv_poll_t* poll_ = nullptr;
  uv_timer_t* timer_ = nullptr;
  bool polling_ = false;
  bool shutDown_ = false;
  std::unique_ptr<Napi::AsyncContext> asyncContext_;
  std::list<Pending> pending_;
  std::list<RingWait> ringWaits_;
  std::list<std::shared_ptr<Semaphore>> armed_;  // kept armed until no wait is pending
  std::map<uint32_t, ExitWatch*> exitWatches_;   // each freed by its poll handle's close callback
  uint32_t lastExitToken_ = 0;
};

}  // namespace ipclab::binding

// Dedicated threads for blocking waits, so they never occupy libuv's small thread pool.
// Idle threads are reused and exit after a few seconds without work.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace ipclab::binding {

class WaiterPool {
 public:
  static WaiterPool& instance();
  void run(std::function<void()> job);

 private:
  WaiterPool() = default;
  void workerLoop(std::function<void()> first);

  std::mutex mutex_;
  std::condition_variable jobAvailable_;
  std::deque<std::function<void()>> jobs_;
  int idle_ = 0;
};

}  // namespace ipclab::binding

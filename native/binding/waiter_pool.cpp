#include "waiter_pool.hpp"

#include <chrono>
#include <thread>

namespace ipclab::binding {

namespace {
constexpr auto kIdleExit = std::chrono::seconds(5);
}

WaiterPool& WaiterPool::instance() {
  // Never destroyed: detached threads may still hold its mutex while the process exits.
  static WaiterPool* pool = new WaiterPool();
  return *pool;
}

void WaiterPool::run(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_ > 0) {
      --idle_;  // claimed on behalf of whichever idle thread takes the job
      jobs_.push_back(std::move(job));
      jobAvailable_.notify_one();
      return;
    }
  }
  std::thread([this, job = std::move(job)]() mutable { workerLoop(std::move(job)); }).detach();
}

void WaiterPool::workerLoop(std::function<void()> first) {
  first();
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++idle_;
      if (!jobAvailable_.wait_for(lock, kIdleExit, [this] { return !jobs_.empty(); })) {
        --idle_;
        return;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace ipclab::binding

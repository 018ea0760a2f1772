// The physical floor for bench/roundtrip.mjs: two processes ping-pong through two in-segment
// semaphores of ipclab's own core (futex wait, no Node), and print each round trip's nanoseconds.
//   native-pingpong <rounds> <warmup>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../native/core/segment.hpp"
#include "../native/core/semaphore.hpp"

namespace {

int64_t nowNanos() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5000;
  const int warmup = argc > 2 ? std::atoi(argv[2]) : 200;
  const std::string name = "/ipclab-" + std::to_string(::getpid()) + "-native-pingpong";
  ipclab::Segment segment = ipclab::Segment::create(name, 4096, {});
  ipclab::Segment::unlink(name);  // the mapping outlives the name: nothing is left behind
  auto ping = ipclab::Semaphore::createIn(segment.mapping(), 0, 0);
  auto pong = ipclab::Semaphore::createIn(segment.mapping(), 64, 0);
  pid_t child = ::fork();
  if (child == 0) {
    for (int i = 0; i < rounds + warmup; ++i) {
      ping->wait(-1, false);
      pong->post();
    }
    ::_exit(0);
  }
  std::vector<int64_t> nanos;
  nanos.reserve(static_cast<size_t>(rounds));
  for (int i = 0; i < rounds + warmup; ++i) {
    int64_t started = nowNanos();
    ping->post();
    pong->wait(-1, false);
    if (i >= warmup) nanos.push_back(nowNanos() - started);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  for (int64_t value : nanos) std::printf("%lld\n", static_cast<long long>(value));
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

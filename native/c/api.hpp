// libipclab's C ABI (include/ipclab.h) over the C++ core: the handles behind the opaque types, and
// the one place where the core's exceptions become status codes and the thread's last error.
#pragma once

#include <memory>
#include <new>
#include <string>

#include "../../include/ipclab.h"
#include "../core/channel.hpp"
#include "../core/errors.hpp"
#include "../core/segment.hpp"
#include "../core/semaphore.hpp"

struct ipclab_segment {
  ipclab::Segment segment;
  bool keep;
};

struct ipclab_mapping {
  std::shared_ptr<ipclab::Mapping> mapping;
};

struct ipclab_semaphore {
  std::shared_ptr<ipclab::Semaphore> semaphore;
  bool unlinkOnClose;
};

// An ipclab_channel* is an ipclab::Channel*: no indirection on the hot path.
inline ipclab::Channel* channelOf(ipclab_channel* channel) { return reinterpret_cast<ipclab::Channel*>(channel); }
inline const ipclab::Channel* channelOf(const ipclab_channel* channel) {
  return reinterpret_cast<const ipclab::Channel*>(channel);
}

namespace ipclab::capi {

// Records the failure as the calling thread's last error and returns its status.
int fail(int status, const char* message, const std::string& syscall = "") noexcept;
int statusOfCode(const std::string& code) noexcept;
int failCurrentException() noexcept;

// Runs `call` (which returns a status), turning any exception into a status and a last error.
template <typename Call>
inline int guarded(Call&& call) noexcept {
  try {
    return call();
  } catch (...) {
    return failCurrentException();
  }
}

// ERR_INVALID_ARGUMENT unless `pointer` is set.
#define IPCLAB_REQUIRE(pointer)                                                                  \
  do {                                                                                           \
    if ((pointer) == nullptr) return ::ipclab::capi::fail(IPCLAB_ERR_INVALID_ARGUMENT, #pointer " is NULL"); \
  } while (0)

}  // namespace ipclab::capi

#include "doorbell.hpp"

#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace ipclab::doorbell {

namespace {

// One unbound socket per process sends every ring.
int ringerSocket() {
  static const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  return fd;
}

uint32_t randomHalf() {
  uint32_t value = 0;
  if (::getrandom(&value, sizeof value, GRND_NONBLOCK) != sizeof value) {
    value = static_cast<uint32_t>(::clock()) ^ static_cast<uint32_t>(reinterpret_cast<uintptr_t>(&value));
  }
  return value;
}

}  // namespace

unsigned addressOf(uint64_t id, sockaddr_un& address) {
  std::memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  // Abstract namespace: sun_path starts with NUL and the name is exactly the bytes that follow.
  int length = std::snprintf(address.sun_path + 1, sizeof address.sun_path - 1, "ipclab-doorbell-%016llx",
                             static_cast<unsigned long long>(id));
  return static_cast<unsigned>(offsetof(sockaddr_un, sun_path) + 1 + length);
}

Ring ring(uint64_t id) {
  int fd = ringerSocket();
  if (fd < 0) return Ring::Busy;
  sockaddr_un address{};
  socklen_t length = addressOf(id, address);
  const char byte = 1;
  if (::sendto(fd, &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&address), length) == 1) {
    return Ring::Sent;
  }
  // A full queue already holds a ring; anything else means nobody is listening there.
  return errno == EAGAIN ? Ring::Busy : Ring::Gone;
}

std::unique_ptr<Listener> Listener::open() {
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  for (int attempt = 0; attempt < 8; ++attempt) {
    uint64_t id = (static_cast<uint64_t>(::getpid()) << 32) | randomHalf();
    sockaddr_un address{};
    socklen_t length = addressOf(id, address);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0) return std::unique_ptr<Listener>(new Listener(fd, id));
    if (errno != EADDRINUSE) break;
  }
  ::close(fd);
  return nullptr;
}

Listener::~Listener() { ::close(fd_); }

void Listener::drainOne() {
  char byte;
  ::recv(fd_, &byte, sizeof byte, MSG_DONTWAIT);
}

}  // namespace ipclab::doorbell

// A doorbell is a datagram socket in Linux's abstract Unix namespace (no file; it vanishes with its
// process) named "\0ipclab-doorbell-%016llx" after its 64-bit id: all a peer needs to ring it.
// Ringing is one non-blocking send of one byte (docs/channel-protocol.md, "Waking"). The listening
// socket is here; polling it on an event loop is the binding's job (native/binding/doorbell.cpp).
#pragma once

#include <sys/un.h>

#include <cstdint>
#include <memory>

namespace ipclab::doorbell {

// Fills address with the doorbell's name; returns the address length for bind/sendto.
unsigned addressOf(uint64_t id, sockaddr_un& address);

enum class Ring { Sent, Gone, Busy };
// Sends one byte without blocking: Gone when no socket has that id (its process died), Busy when
// a ring is already queued there (or this process cannot make a socket).
Ring ring(uint64_t id);

// The receiving end: a non-blocking socket bound to a fresh id (pid << 32 | random, so live
// processes never collide and environments of one process, such as workers, differ).
class Listener {
 public:
  // Null when no socket can be made or bound.
  static std::unique_ptr<Listener> open();
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  uint64_t id() const { return id_; }
  int fd() const { return fd_; }
  // Takes one queued ring, if any.
  void drainOne();

 private:
  Listener(int fd, uint64_t id) : fd_(fd), id_(id) {}
  int fd_;
  uint64_t id_;
};

}  // namespace ipclab::doorbell

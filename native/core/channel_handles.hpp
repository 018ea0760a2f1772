// A channel's handle table (docs/channel-protocol.md, "Handles, roles and liveness"): who has the
// channel open, in which role, and whether the process behind each handle still runs. Roles belong
// to handles, so a second producer or consumer is refused even within one process. The same rules
// as src/channel-handles.ts, with the same messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "channel_layout.hpp"
#include "errors.hpp"

namespace ipclab::channel {

enum class Role : uint32_t { Producer = kHandleProducer, Consumer = kHandleConsumer };

const char* roleName(Role role);

class HandleTable {
 public:
  // Longest wait for another process to finish editing the table; only a hung or hostile peer
  // takes this long.
  static constexpr int64_t kLockWaitMs = 2000;

  // Adds this process's handle to the table of the mapped channel header (ERR_WRONG_STATE when all
  // entries are held by open handles of running processes). Waits for the lock until
  // deadlineNanos at most.
  HandleTable(unsigned char* header, const std::string& channel, int64_t deadlineNanos);

  // Makes this handle the channel's `role`; ERR_WRONG_STATE while another open handle of a running
  // process holds it.
  void claim(Role role, int64_t deadlineNanos);
  // Marks this handle closed; its entry stays so that a peer sees the channel was left.
  void close();
  // Why `role`'s peer can never come or answer (ERR_PEER_GONE or ERR_CHANNEL_CLOSED): the handle
  // holding the other role is closed or its process is dead, or no one holds it and every other
  // handle is closed or dead. Empty while a peer may still act, or when no other handle exists.
  std::optional<UsageError> peerGone(Role role) const;

 private:
  struct Entry {
    int pid;
    uint32_t flags;
    bool alive;
  };
  int32_t* word(uint32_t entry, uint32_t field) const;
  int64_t* startTime(uint32_t entry) const;
  Entry entry(uint32_t index) const;
  // Runs edit holding the table's lock word (the holder's pid, taken over when that process is dead).
  template <typename Edit>
  auto locked(int64_t deadlineNanos, Edit&& edit);

  unsigned char* header_;
  std::string channel_;
  int pid_;
  uint32_t own_ = 0;
};

}  // namespace ipclab::channel

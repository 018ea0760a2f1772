#include "channel_handles.hpp"

#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "liveness.hpp"
#include "monotonic_clock.hpp"

namespace ipclab::channel {

const char* roleName(Role role) { return role == Role::Producer ? "producer" : "consumer"; }

template <typename Edit>
auto HandleTable::locked(int64_t deadlineNanos, Edit&& edit) {
  auto* lock = reinterpret_cast<int32_t*>(header_ + kHandleTableLockOffset);
  const int64_t start = monotonicNanos();
  const int64_t deadline = std::min(deadlineNanos, start + kLockWaitMs * 1000000);
  for (;;) {
    int32_t holder = 0;
    if (__atomic_compare_exchange_n(lock, &holder, pid_, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) break;
    if (!liveness::isProcessAlive(holder) &&
        __atomic_compare_exchange_n(lock, &holder, pid_, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
      break;
    }
    const int64_t now = monotonicNanos();
    if (now >= deadline) {
      throw UsageError("ERR_TIMEOUT", "channel \"" + channel_ + "\" stayed locked by process " + std::to_string(holder) +
                                          " for " + std::to_string((now - start) / 1000000) +
                                          " ms (a hung peer, or a corrupted header)");
    }
    const timespec pause{0, 1000000};  // 1 ms
    ::nanosleep(&pause, nullptr);
  }
  struct Unlock {
    int32_t* lock;
    int32_t pid;
    ~Unlock() {
      int32_t expected = pid;
      __atomic_compare_exchange_n(lock, &expected, 0, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
  } unlock{lock, pid_};
  return edit();
}

HandleTable::HandleTable(unsigned char* header, const std::string& channel, int64_t deadlineNanos)
    : header_(header), channel_(channel), pid_(static_cast<int>(::getpid())) {
  own_ = locked(deadlineNanos, [&] {
    uint32_t free = kMaxHandles;
    for (uint32_t index = 0; index < kMaxHandles && free == kMaxHandles; ++index) {
      if (__atomic_load_n(word(index, kHandlePidOffset), __ATOMIC_SEQ_CST) == 0) free = index;
    }
    for (uint32_t index = 0; index < kMaxHandles && free == kMaxHandles; ++index) {
      const Entry found = entry(index);
      if (!found.alive || (found.flags & kHandleClosed)) free = index;
    }
    if (free == kMaxHandles) {
      throw UsageError("ERR_WRONG_STATE", "channel \"" + channel_ + "\" already has " + std::to_string(kMaxHandles) +
                                              " open handles; close one first");
    }
    // The start time goes in before the pid: whoever reads the pid then reads the matching start time.
    __atomic_store_n(word(free, kHandlePidOffset), 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(word(free, kHandleFlagsOffset), 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(startTime(free), liveness::ownStartTime(), __ATOMIC_SEQ_CST);
    __atomic_store_n(word(free, kHandlePidOffset), pid_, __ATOMIC_SEQ_CST);
    return free;
  });
}

void HandleTable::claim(Role role, int64_t deadlineNanos) {
  const auto bit = static_cast<uint32_t>(role);
  locked(deadlineNanos, [&] {
    const uint32_t closedBit = role == Role::Producer ? kProducerClosed : kConsumerClosed;
    if (__atomic_load_n(reinterpret_cast<uint32_t*>(header_ + kStateOffset), __ATOMIC_SEQ_CST) & closedBit) {
      throw UsageError("ERR_CHANNEL_CLOSED", "the " + std::string(roleName(role)) + " of channel \"" + channel_ +
                                                 "\" closed it, and a closed role cannot be taken over; open a new channel for a new stream");
    }
    for (uint32_t index = 0; index < kMaxHandles; ++index) {
      if (index == own_) continue;
      const Entry holder = entry(index);
      if (!(holder.flags & bit) || !holder.alive || (holder.flags & kHandleClosed)) continue;
      const std::string where = holder.pid == pid_ ? "another handle in this process (or one of its threads)"
                                                   : "process " + std::to_string(holder.pid);
      throw UsageError("ERR_WRONG_STATE", "channel \"" + channel_ + "\" already has a " + roleName(role) + ": " + where +
                                              "; a channel has one producer and one consumer");
    }
    __atomic_or_fetch(word(own_, kHandleFlagsOffset), static_cast<int32_t>(bit), __ATOMIC_SEQ_CST);
  });
}

void HandleTable::close() { __atomic_or_fetch(word(own_, kHandleFlagsOffset), static_cast<int32_t>(kHandleClosed), __ATOMIC_SEQ_CST); }

std::optional<UsageError> HandleTable::peerGone(Role role) const {
  const Role peerRole = role == Role::Producer ? Role::Consumer : Role::Producer;
  const auto peerBit = static_cast<uint32_t>(peerRole);
  Entry others[kMaxHandles];
  uint32_t otherCount = 0;
  bool anyPeer = false;
  for (uint32_t index = 0; index < kMaxHandles; ++index) {
    if (index == own_) continue;
    const Entry found = entry(index);
    if (found.pid == 0) continue;
    others[otherCount++] = found;
    anyPeer = anyPeer || (found.flags & peerBit);
  }
  // The candidates: the peer role's holders, or, while nobody holds it, every other handle.
  std::string dead;
  bool candidates = false;
  for (uint32_t index = 0; index < otherCount; ++index) {
    const Entry& other = others[index];
    if (anyPeer && !(other.flags & peerBit)) continue;
    candidates = true;
    if (other.alive && !(other.flags & kHandleClosed)) return std::nullopt;
    if (!other.alive) dead += (dead.empty() ? "" : ", ") + std::to_string(other.pid);
  }
  if (!candidates) return std::nullopt;
  const std::string who = anyPeer ? std::string("the ") + roleName(peerRole) + " of channel \"" + channel_ + "\""
                                  : "every other handle of channel \"" + channel_ + "\"";
  const std::string never = anyPeer ? "" : std::string(" without becoming its ") + roleName(peerRole);
  if (!dead.empty()) return UsageError("ERR_PEER_GONE", who + " (pid " + dead + ") has exited" + never);
  return UsageError("ERR_CHANNEL_CLOSED", who + " was closed" + never);
}

int32_t* HandleTable::word(uint32_t entry, uint32_t field) const {
  return reinterpret_cast<int32_t*>(header_ + kHandleTableOffset + entry * kHandleEntrySize + field);
}

int64_t* HandleTable::startTime(uint32_t entry) const {
  return reinterpret_cast<int64_t*>(header_ + kHandleTableOffset + entry * kHandleEntrySize + kHandleStartTimeOffset);
}

HandleTable::Entry HandleTable::entry(uint32_t index) const {
  const int pid = __atomic_load_n(word(index, kHandlePidOffset), __ATOMIC_SEQ_CST);
  const auto flags = static_cast<uint32_t>(__atomic_load_n(word(index, kHandleFlagsOffset), __ATOMIC_SEQ_CST));
  const int64_t started = __atomic_load_n(startTime(index), __ATOMIC_SEQ_CST);
  return {pid, flags, pid != 0 && liveness::isProcessAlive(pid, started)};
}

}  // namespace ipclab::channel

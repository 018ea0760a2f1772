// The byte layout of a ShmChannel segment. The TypeScript side reads these constants from the
// addon, so each field is named exactly once.
#pragma once

#include <cstdint>

#include "semaphore.hpp"

namespace ipclab::channel {

constexpr uint32_t kMagic = 0x4C435049;  // "IPCL" little-endian
constexpr uint32_t kVersion = 2;

// Header fields (byte offsets). 32-bit fields are Int32 so Atomics can read them.
constexpr uint32_t kMagicOffset = 0;
constexpr uint32_t kVersionOffset = 4;
constexpr uint32_t kSlotCountOffset = 8;
constexpr uint32_t kStateOffset = 12;          // bit flags below
constexpr uint32_t kHandleTableLockOffset = 16;  // int32: pid of the process editing the handle table, 0 when none
constexpr uint32_t kSlotSizeOffset = 24;       // float64: bytes per slot
constexpr uint32_t kDataReadySemOffset = 64;   // counts chunks written and not yet read
constexpr uint32_t kSlotFreeSemOffset = 128;   // counts slots the producer may fill
constexpr uint32_t kSlotTableOffset = 192;

// State bits.
constexpr uint32_t kProducerClosed = 1;
constexpr uint32_t kConsumerClosed = 2;
constexpr uint32_t kConsumerAttached = 4;

// One slot descriptor per slot, at kSlotTableOffset + i * kSlotEntrySize.
constexpr uint32_t kSlotEntrySize = 32;
constexpr uint32_t kEntryMessageBytesOffset = 0;  // float64: whole message length
constexpr uint32_t kEntryChunkOffsetOffset = 8;   // float64: where this chunk starts in the message
constexpr uint32_t kEntryChunkBytesOffset = 16;   // uint32: bytes in this chunk
constexpr uint32_t kEntryKindOffset = 20;         // uint32: payload kind (typed-array type, bytes, value)
constexpr uint32_t kEntrySequenceOffset = 24;     // uint32: chunk sequence number, starting at 1

// The handle table: one entry per open handle (the creator's and each opener's), so a side can
// tell who holds which role and whether the process behind each handle still runs.
constexpr uint32_t kHandleTableOffset = 2304;
constexpr uint32_t kHandleEntrySize = 16;
constexpr uint32_t kHandlePidOffset = 0;         // int32: the handle's process, 0 when the entry is free
constexpr uint32_t kHandleFlagsOffset = 4;       // int32: the handle bits below
constexpr uint32_t kHandleStartTimeOffset = 8;   // int64: the process's start time (/proc/<pid>/stat field 22)
constexpr uint32_t kMaxHandles = 16;

// Handle bits.
constexpr uint32_t kHandleProducer = 1;
constexpr uint32_t kHandleConsumer = 2;
constexpr uint32_t kHandleClosed = 4;

constexpr uint32_t kMaxSlots = 64;
constexpr uint32_t kHeaderBytes = 4096;           // the data area starts page-aligned
constexpr uint32_t kSlotAlignment = 64;

static_assert(Semaphore::kSize <= kSlotFreeSemOffset - kDataReadySemOffset, "semaphore does not fit its field");
static_assert(kSlotTableOffset + kMaxSlots * kSlotEntrySize <= kHandleTableOffset, "slot table overlaps the handle table");
static_assert(kHandleTableOffset + kMaxHandles * kHandleEntrySize <= kHeaderBytes, "handle table does not fit the header");

}  // namespace ipclab::channel

// The byte layout of a ShmChannel segment, protocol version 3 (docs/channel-protocol.md). Every
// offset is named here once; the addon hands them to TypeScript, and the suite checks the document.
#pragma once

#include <cstdint>

namespace ipclab::channel {

constexpr uint32_t kMagic = 0x4C435049;  // "IPCL" little-endian
constexpr uint32_t kVersion = 3;

// Header, 4096 bytes. Each group sits on its own cache line, 128 bytes apart.
constexpr uint32_t kMagicOffset = 0;            // u32, written last by the creator
constexpr uint32_t kVersionOffset = 4;          // u32
constexpr uint32_t kRingBytesOffset = 8;        // u32: a power of two, kMinRingBytes..kMaxRingBytes
constexpr uint32_t kStateOffset = 16;           // u32: the state bits below, set with atomic OR
constexpr uint32_t kHandleTableLockOffset = 20; // i32: pid of the process editing the handle table, 0 when none
constexpr uint32_t kUnsentOffset = 24;          // u32: sends the producer gave up when it closed, stored before kProducerClosed
constexpr uint32_t kTailOffset = 128;           // u32: bytes the producer published, mod 2^32
constexpr uint32_t kTailSequenceOffset = 132;   // u32: records the producer published, mod 2^32 (stored before tail)
constexpr uint32_t kHeadOffset = 256;           // u32: bytes the consumer released, mod 2^32
constexpr uint32_t kConsumerWaitingOffset = 384;        // u32: the consumer's wait bits below
constexpr uint32_t kConsumerWakeSequenceOffset = 388;   // u32: futex word of a sleeping consumer thread
constexpr uint32_t kConsumerDoorbellOffset = 392;       // u64: doorbell of a sleeping consumer event loop
constexpr uint32_t kProducerWaitingOffset = 512;
constexpr uint32_t kProducerWakeSequenceOffset = 516;
constexpr uint32_t kProducerDoorbellOffset = 520;
// A waiting line: the waiting word, then the wake sequence and the doorbell at these distances.
constexpr uint32_t kWakeSequenceDelta = 4;
constexpr uint32_t kDoorbellDelta = 8;
constexpr uint32_t kHeaderBytes = 4096;  // the ring starts page-aligned

// State bits.
constexpr uint32_t kProducerClosed = 1;
constexpr uint32_t kConsumerClosed = 2;

// Wait bits: how a sleeping side wants to be woken.
constexpr uint32_t kWaitFutex = 1;
constexpr uint32_t kWaitDoorbell = 2;

// The ring.
constexpr uint32_t kMinRingBytes = 4096;
constexpr uint32_t kMaxRingBytes = uint32_t{1} << 30;

// Records: 8-byte aligned, never crossing the ring's end, at most ringBytes / 2 long.
constexpr uint32_t kRecordAlignment = 8;
constexpr uint32_t kRecordSizeOffset = 0;          // u32: payload bytes in this record
constexpr uint32_t kRecordKindOffset = 4;          // u8
constexpr uint32_t kRecordFlagsOffset = 5;         // u8: the record flags below
constexpr uint32_t kRecordSequenceOffset = 6;      // u16: record number mod 2^16, padding included
constexpr uint32_t kRecordMessageBytesOffset = 8;  // u64, first records only: the whole message's length
constexpr uint32_t kRecordHeaderBytes = 8;
constexpr uint32_t kFirstRecordHeaderBytes = 16;

// Record flags.
constexpr uint32_t kRecordPadding = 1;
constexpr uint32_t kRecordFirst = 2;
constexpr uint32_t kRecordContinued = 4;

// Payload kinds that are not typed arrays (1..11 are, in PayloadKind's order).
constexpr uint32_t kKindBytes = 0;
constexpr uint32_t kKindDataView = 12;
constexpr uint32_t kKindJson = 13;
constexpr uint32_t kKindValue = 100;

// Bytes per element of a payload kind (1 for the byte kinds); 0 for a kind this version does not know.
constexpr uint32_t kindElementBytes(uint32_t kind) {
  switch (kind) {
    case kKindBytes: case 1: case 2: case 3: case kKindDataView: case kKindJson: case kKindValue: return 1;
    case 4: case 5: return 2;
    case 6: case 7: case 8: return 4;
    case 9: case 10: case 11: return 8;
    default: return 0;
  }
}

// The longest message (a first record's messageBytes): what a JavaScript number holds exactly.
constexpr uint64_t kMaxMessageBytes = (uint64_t{1} << 53) - 1;

// The handle table: one entry per open handle (the creator's and each opener's), so a side can
// tell who holds which role and whether the process behind each handle still runs.
constexpr uint32_t kHandleTableOffset = 2304;
constexpr uint32_t kHandleEntrySize = 16;
constexpr uint32_t kHandlePidOffset = 0;        // i32: the handle's process, 0 when the entry is free
constexpr uint32_t kHandleFlagsOffset = 4;      // i32: the handle bits below
constexpr uint32_t kHandleStartTimeOffset = 8;  // i64: the process's start time (/proc/<pid>/stat field 22)
constexpr uint32_t kMaxHandles = 16;

// Handle bits.
constexpr uint32_t kHandleProducer = 1;
constexpr uint32_t kHandleConsumer = 2;
constexpr uint32_t kHandleClosed = 4;

static_assert(kConsumerWakeSequenceOffset == kConsumerWaitingOffset + kWakeSequenceDelta, "consumer waiting line");
static_assert(kConsumerDoorbellOffset == kConsumerWaitingOffset + kDoorbellDelta, "consumer waiting line");
static_assert(kProducerWakeSequenceOffset == kProducerWaitingOffset + kWakeSequenceDelta, "producer waiting line");
static_assert(kProducerDoorbellOffset == kProducerWaitingOffset + kDoorbellDelta, "producer waiting line");
static_assert(kConsumerDoorbellOffset % 8 == 0 && kProducerDoorbellOffset % 8 == 0, "doorbells are 8-byte aligned");
static_assert(kHandleTableOffset >= kProducerWaitingOffset + 128, "handle table overlaps the waiting lines");
static_assert(kHandleTableOffset + kMaxHandles * kHandleEntrySize <= kHeaderBytes, "handle table does not fit the header");
static_assert((kMinRingBytes & (kMinRingBytes - 1)) == 0 && (kMaxRingBytes & (kMaxRingBytes - 1)) == 0, "ring sizes are powers of two");

}  // namespace ipclab::channel

/* libipclab: POSIX shared memory, semaphores and ShmChannel (protocol v3, docs/channel-protocol.md)
 * for C and any language with a C FFI. A thin layer over ipclab's C++ core, the same code the native
 * reference uses; a C program and a Node process on the two ends of one channel interoperate.
 *
 *   cc app.c -I$IPCLAB/include -L$IPCLAB/build/Release -Wl,-rpath,$IPCLAB/build/Release -lipclab
 *   cc app.c $(pkg-config --cflags --libs ipclab)        (after cmake --install)
 *
 * Conventions
 * - Every call that can fail returns an int status: IPCLAB_OK (0), an errno value (EEXIST, ENOENT,
 *   ENOSPC, ...: positive), or an IPCLAB_ERR_* code (negative) named as the Node API's error codes.
 *   ipclab_status_name() gives the code's name ("ERR_PEER_GONE", "EEXIST"); a failed call also
 *   leaves a sentence in ipclab_last_error_message() (per thread, until the next failure).
 * - try_* calls never wait: IPCLAB_AGAIN (EAGAIN) when nothing could be done now. It is not an error.
 * - Timeouts are milliseconds: IPCLAB_WAIT_FOREVER (any negative value) waits forever, 0 not at all
 *   (a call that would have to wait fails with IPCLAB_ERR_TIMEOUT). Every wait also ends when the
 *   peer closes (at once) or its process dies (noticed within 250 ms).
 * - Buffers are the caller's; nothing is allocated for the caller. No C++ exception crosses here.
 * - Names: with or without the leading '/', at most 30 bytes after it, no other '/'.
 * - Threads: a channel is used by one thread at a time; ipclab_channel_interrupt() may be called from
 *   any thread before ipclab_channel_close(). Segment and semaphore calls may come from any thread.
 *   The *_close() calls free the handle: no other thread may be inside a call on it (interrupt it
 *   first and let it return).
 */
#ifndef IPCLAB_H
#define IPCLAB_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define IPCLAB_API __attribute__((visibility("default")))
#else
#define IPCLAB_API
#endif

/* The library's version, and the ABI's: a program built against ABI N runs with any library of ABI N. */
#define IPCLAB_VERSION "0.1.0"
#define IPCLAB_ABI_VERSION 1
/* The channel protocol this library speaks (the `version` word of a channel's header). */
#define IPCLAB_PROTOCOL_VERSION 3

IPCLAB_API const char* ipclab_version(void);
IPCLAB_API int ipclab_abi_version(void);
IPCLAB_API int ipclab_protocol_version(void);

/* ---- Status codes ---- */

#define IPCLAB_OK 0
#define IPCLAB_AGAIN EAGAIN                 /* a try_* call found nothing to do now */
#define IPCLAB_ERR_CLOSED (-1)              /* this handle (or what holds it) is closed, or was interrupted */
#define IPCLAB_ERR_READ_ONLY (-2)           /* the segment is mapped read-only */
#define IPCLAB_ERR_OUT_OF_RANGE (-3)        /* a size, kind or offset out of range (a message too long for the buffer stays) */
#define IPCLAB_ERR_SIZE_MISMATCH (-4)       /* a segment of that name exists with another size */
#define IPCLAB_ERR_EMPTY_SEGMENT (-5)       /* the segment has size 0 (its creator has not sized it yet) */
#define IPCLAB_ERR_BAD_CHANNEL (-6)         /* not a version-3 channel, or its contents are corrupt */
#define IPCLAB_ERR_CORRUPT_SEMAPHORE (-7)   /* the words of an in-segment semaphore are not one */
#define IPCLAB_ERR_CHANNEL_CLOSED (-8)      /* the peer closed the channel (a consumer first reads what is left) */
#define IPCLAB_ERR_PEER_GONE (-9)           /* the peer's process exited without closing */
#define IPCLAB_ERR_TIMEOUT (-10)            /* the wait reached its timeout */
#define IPCLAB_ERR_WRONG_STATE (-11)        /* not now: the other role, a reservation or a half-moved message pending */
#define IPCLAB_ERR_INVALID_ARGUMENT (-12)   /* a null pointer, a bad name or option */
#define IPCLAB_ERR_MESSAGES_LOST (-13)      /* the producer closed with sends it never wrote (after what it did write) */
#define IPCLAB_ERR_INTERNAL (-99)           /* a bug of ipclab's: the message says what */

/* "ERR_PEER_GONE", "EEXIST", "OK", ...; never NULL. */
IPCLAB_API const char* ipclab_status_name(int status);
/* The calling thread's last failure: its sentence, its status, and the system call it concerns ("" if none). */
IPCLAB_API const char* ipclab_last_error_message(void);
IPCLAB_API int ipclab_last_error_status(void);
IPCLAB_API const char* ipclab_last_error_syscall(void);

#define IPCLAB_WAIT_FOREVER (-1)

/* Flags of the create and open calls (bitwise OR; 0 for the defaults). */
#define IPCLAB_NONEXCLUSIVE 1u  /* create: open an existing object of the same name (and size) instead of failing with EEXIST */
#define IPCLAB_KEEP 2u          /* create: leave the name in place when this creator closes (default: the creator unlinks) */
#define IPCLAB_POPULATE 4u      /* map every page now, so first accesses pay no page faults */
#define IPCLAB_READ_ONLY 8u     /* segment open: map read-only */

/* ---- Shared memory segments ---- */

typedef struct ipclab_segment ipclab_segment;

/* Creates a segment of `size` bytes (exclusive unless IPCLAB_NONEXCLUSIVE), its pages reserved so a
 * full /dev/shm is ENOSPC here; mode is applied exactly (0600 is the usual). */
IPCLAB_API int ipclab_segment_create(const char* name, size_t size, unsigned mode, unsigned flags, ipclab_segment** out);
/* Opens an existing segment (made by ipclab in any language, or by any program); flags: IPCLAB_READ_ONLY, IPCLAB_POPULATE. */
IPCLAB_API int ipclab_segment_open(const char* name, unsigned flags, ipclab_segment** out);
/* Unmaps and frees the handle; the creator unlinks the name unless IPCLAB_KEEP. NULL is a no-op.
 * Returns the unlink's failure, if any (the handle is freed whatever happens). */
IPCLAB_API int ipclab_segment_close(ipclab_segment* segment);
/* Removes a name: IPCLAB_OK, or ENOENT when nothing had it. Mappings stay valid until closed. */
IPCLAB_API int ipclab_segment_unlink(const char* name);
IPCLAB_API void* ipclab_segment_address(const ipclab_segment* segment);
IPCLAB_API size_t ipclab_segment_size(const ipclab_segment* segment);
/* The canonical name, with its leading '/'. */
IPCLAB_API const char* ipclab_segment_name(const ipclab_segment* segment);
/* 1 when this handle created the segment. */
IPCLAB_API int ipclab_segment_created(const ipclab_segment* segment);

/* A reference that keeps a segment's (or channel's) pages mapped after its handle closes, until
 * released: for bindings whose views may outlive close() (the Python package's memoryviews). */
typedef struct ipclab_mapping ipclab_mapping;
IPCLAB_API int ipclab_segment_mapping(const ipclab_segment* segment, ipclab_mapping** out);
IPCLAB_API void* ipclab_mapping_address(const ipclab_mapping* mapping);
IPCLAB_API size_t ipclab_mapping_size(const ipclab_mapping* mapping);
IPCLAB_API void ipclab_mapping_release(ipclab_mapping* mapping);

/* ---- Semaphores: named (any program can sem_open them) and in-segment (ipclab's, shared with Node's Semaphore.createIn) ---- */

typedef struct ipclab_semaphore ipclab_semaphore;

/* Bytes an in-segment semaphore occupies, and the alignment of its offset. */
#define IPCLAB_SEMAPHORE_BYTES 32
#define IPCLAB_SEMAPHORE_ALIGNMENT 8

/* flags: IPCLAB_NONEXCLUSIVE, IPCLAB_KEEP. */
IPCLAB_API int ipclab_semaphore_create(const char* name, unsigned initial, unsigned mode, unsigned flags, ipclab_semaphore** out);
IPCLAB_API int ipclab_semaphore_open(const char* name, ipclab_semaphore** out);
/* IPCLAB_OK, or ENOENT when nothing had the name. */
IPCLAB_API int ipclab_semaphore_unlink(const char* name);
/* create_in initialises a process-shared semaphore at `offset` (a multiple of IPCLAB_SEMAPHORE_ALIGNMENT)
 * of a writable segment; open_in attaches to one a peer initialised there. Usable while the segment
 * is open (IPCLAB_ERR_CLOSED after). */
IPCLAB_API int ipclab_semaphore_create_in(ipclab_segment* segment, size_t offset, unsigned initial, ipclab_semaphore** out);
IPCLAB_API int ipclab_semaphore_open_in(ipclab_segment* segment, size_t offset, ipclab_semaphore** out);
IPCLAB_API int ipclab_semaphore_post(ipclab_semaphore* semaphore);
/* Takes a unit: IPCLAB_OK, or IPCLAB_AGAIN when none came within spin_micros of busy-waiting (0: no spin). */
IPCLAB_API int ipclab_semaphore_try_wait(ipclab_semaphore* semaphore, int64_t spin_micros);
/* Waits up to timeout_ms (spinning spin_micros first): IPCLAB_OK, IPCLAB_ERR_TIMEOUT, or
 * IPCLAB_ERR_CLOSED within 50 ms of ipclab_semaphore_interrupt(). */
IPCLAB_API int ipclab_semaphore_wait(ipclab_semaphore* semaphore, int64_t timeout_ms, int64_t spin_micros);
IPCLAB_API int ipclab_semaphore_value(ipclab_semaphore* semaphore, int* value);
/* Any thread: waits in progress (and every later call) end with IPCLAB_ERR_CLOSED. */
IPCLAB_API void ipclab_semaphore_interrupt(ipclab_semaphore* semaphore);
/* Frees the handle; the creator of a named one unlinks it unless IPCLAB_KEEP. NULL is a no-op. */
IPCLAB_API int ipclab_semaphore_close(ipclab_semaphore* semaphore);

/* ---- ShmChannel: one producer, one consumer, messages of any length through a ring ---- */

typedef struct ipclab_channel ipclab_channel;

/* Message kinds (the protocol's kind table): what the bytes are, so each language rebuilds its own type. */
#define IPCLAB_KIND_BYTES 0      /* JS ArrayBuffer, Python bytes */
#define IPCLAB_KIND_INT8 1
#define IPCLAB_KIND_UINT8 2      /* JS Uint8Array (and Buffer) */
#define IPCLAB_KIND_UINT8_CLAMPED 3
#define IPCLAB_KIND_INT16 4
#define IPCLAB_KIND_UINT16 5
#define IPCLAB_KIND_INT32 6
#define IPCLAB_KIND_UINT32 7
#define IPCLAB_KIND_FLOAT32 8
#define IPCLAB_KIND_FLOAT64 9
#define IPCLAB_KIND_INT64 10
#define IPCLAB_KIND_UINT64 11
#define IPCLAB_KIND_DATA_VIEW 12
#define IPCLAB_KIND_JSON 13      /* UTF-8 JSON text: JS sendJson, Python send_json */
#define IPCLAB_KIND_VALUE 100    /* V8 serialization (JS sendValue): only Node reads it */

#define IPCLAB_DEFAULT_RING_BYTES (4u * 1024u * 1024u)

typedef struct ipclab_message_info {
  size_t bytes;
  uint8_t kind;
} ipclab_message_info;

typedef struct ipclab_outgoing {
  const void* data;
  size_t bytes;
  uint8_t kind;
} ipclab_outgoing;

/* Makes a channel (exclusive): ring_bytes a power of two from 4096 to 2^30 (0: 4 MiB); flags:
 * IPCLAB_POPULATE. spin_micros (0 to 10^6): busy-wait this long for the peer before every sleep.
 * The creator unlinks the name on close. */
IPCLAB_API int ipclab_channel_create(const char* name, uint32_t ring_bytes, unsigned mode, int64_t spin_micros, unsigned flags,
                                     ipclab_channel** out);
/* Opens a channel made by any language: IPCLAB_ERR_BAD_CHANNEL naming the problem when the segment
 * is not a version-3 channel (another layout version: "layout version N, this ipclab reads version 3"). */
IPCLAB_API int ipclab_channel_open(const char* name, int64_t spin_micros, unsigned flags, ipclab_channel** out);
/* Tells the peer this side is done (its waits end at once), unmaps and frees. NULL is a no-op. */
IPCLAB_API void ipclab_channel_close(ipclab_channel* channel);
/* Any thread, before close: a wait in progress (and every later call) ends with IPCLAB_ERR_CLOSED. */
IPCLAB_API void ipclab_channel_interrupt(ipclab_channel* channel);
IPCLAB_API const char* ipclab_channel_name(const ipclab_channel* channel);
IPCLAB_API uint32_t ipclab_channel_ring_bytes(const ipclab_channel* channel);
/* The longest message reserve and receive_in_place handle: one record, half the ring less its header. */
IPCLAB_API size_t ipclab_channel_max_in_place_bytes(const ipclab_channel* channel);
IPCLAB_API int ipclab_channel_mapping(const ipclab_channel* channel, ipclab_mapping** out);

/* Producer (the first of these calls makes the handle the producer). A typed kind's bytes are a
 * multiple of its element size. A message longer than one record streams through the ring in
 * chunks; after IPCLAB_ERR_TIMEOUT (or IPCLAB_AGAIN) part-way, send the same message again to go on. */
IPCLAB_API int ipclab_channel_send(ipclab_channel* channel, const void* data, size_t bytes, uint8_t kind, int64_t timeout_ms);
IPCLAB_API int ipclab_channel_try_send(ipclab_channel* channel, const void* data, size_t bytes, uint8_t kind);
/* All of them in order, one publication (and at most one wake-up) per batch that fits. *sent (when
 * not NULL) counts those sent whole, also on failure: after IPCLAB_ERR_TIMEOUT, go on from messages + *sent. */
IPCLAB_API int ipclab_channel_send_many(ipclab_channel* channel, const ipclab_outgoing* messages, size_t count, int64_t timeout_ms,
                                        size_t* sent);
/* As many as fit now (*sent of them, whole); IPCLAB_AGAIN when not all did. */
IPCLAB_API int ipclab_channel_try_send_many(ipclab_channel* channel, const ipclab_outgoing* messages, size_t count, size_t* sent);
/* Zero copy: a writable region of `bytes` (at most max_in_place_bytes) inside the ring; commit(n)
 * publishes its first n bytes as one message of `kind`. */
IPCLAB_API int ipclab_channel_reserve(ipclab_channel* channel, size_t bytes, uint8_t kind, int64_t timeout_ms, void** region);
IPCLAB_API int ipclab_channel_try_reserve(ipclab_channel* channel, size_t bytes, uint8_t kind, void** region);
IPCLAB_API int ipclab_channel_commit(ipclab_channel* channel, size_t bytes);

/* Consumer (the first of these calls makes the handle the consumer). A message longer than
 * `capacity` is IPCLAB_ERR_OUT_OF_RANGE and stays; a chunked message arrives as its chunks do: after
 * IPCLAB_ERR_TIMEOUT (or IPCLAB_AGAIN) part-way, call again with the same buffer. Once the producer
 * closed and every message was read: IPCLAB_ERR_CHANNEL_CLOSED. */
IPCLAB_API int ipclab_channel_receive(ipclab_channel* channel, void* buffer, size_t capacity, int64_t timeout_ms,
                                      ipclab_message_info* info);
IPCLAB_API int ipclab_channel_try_receive(ipclab_channel* channel, void* buffer, size_t capacity, ipclab_message_info* info);
/* The next message's length and kind without taking it (to size a buffer). */
IPCLAB_API int ipclab_channel_peek(ipclab_channel* channel, int64_t timeout_ms, ipclab_message_info* info);
IPCLAB_API int ipclab_channel_try_peek(ipclab_channel* channel, ipclab_message_info* info);
/* Every message there (at least one, waiting up to timeout_ms), up to `max` and `capacity` bytes:
 * back to back in `buffer`, their lengths and kinds in the arrays, *count of them. */
IPCLAB_API int ipclab_channel_receive_many(ipclab_channel* channel, void* buffer, size_t capacity, size_t* lengths, uint8_t* kinds,
                                           size_t max, int64_t timeout_ms, size_t* count);
IPCLAB_API int ipclab_channel_try_receive_many(ipclab_channel* channel, void* buffer, size_t capacity, size_t* lengths, uint8_t* kinds,
                                               size_t max, size_t* count);
/* Zero copy: *data points at the next message inside the ring until ipclab_channel_release(). A
 * chunked message cannot be viewed in place: IPCLAB_ERR_OUT_OF_RANGE, and it stays for receive. */
IPCLAB_API int ipclab_channel_receive_in_place(ipclab_channel* channel, int64_t timeout_ms, const void** data, ipclab_message_info* info);
IPCLAB_API int ipclab_channel_try_receive_in_place(ipclab_channel* channel, const void** data, ipclab_message_info* info);
IPCLAB_API int ipclab_channel_release(ipclab_channel* channel);

#ifdef __cplusplus
}
#endif

#endif /* IPCLAB_H */

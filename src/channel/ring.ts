// The channel's ring of records (docs/channel-protocol.md, "Counters" to "Ordering"): a synchronous
// single-producer/single-consumer ring over a segment-shaped buffer (the header's counters, then
// the ring at layout.headerBytes). No promises and no waiting here, as in ringbuf.js: a write
// that does not fit returns false, a read of an empty ring returns false, and the layer above
// decides how to wait. Counters are kept as int32 (32-bit Atomics, differences taken `| 0`).
import { IpcError } from '../errors.js';
import { layout } from './layout.js';

export const HEADER = layout.recordHeaderBytes;
export const FIRST_HEADER = layout.firstRecordHeaderBytes;
export const PADDING = layout.recordPadding;
export const FIRST = layout.recordFirst;
export const CONTINUED = layout.recordContinued;
export const RING_START = layout.headerBytes;
/** Messages up to this many bytes are copied by a loop: cheaper than a call into `set` for a few bytes. */
export const SHORT_COPY_BYTES = 32;

/** What both ends share: views of the segment, the ring's geometry, and what breaks it for good. */
export class RingEnd {
  readonly name: string;
  readonly ringBytes: number;
  /** The largest record, half the ring, so that an empty ring has room for any record. */
  readonly maxRecordBytes: number;
  /** The whole segment, as a buffer (views of payloads are made over it) and as bytes. */
  readonly memory: ArrayBuffer;
  readonly memoryBytes: Uint8Array;
  protected readonly mask: number;
  protected readonly quarter: number;
  protected readonly header: Int32Array;
  protected readonly bytes: Uint8Array;
  protected readonly words: Int32Array;
  /** Calls the addon's waker; the ring itself never sleeps or wakes anyone. */
  protected readonly wakePeer: () => void;
  /** What was found corrupted: set once, then every use of this end throws. */
  protected corruption: string | undefined;

  constructor(memory: ArrayBuffer, ringBytes: number, name: string, wakePeer: () => void) {
    this.name = name;
    this.memory = memory;
    this.memoryBytes = new Uint8Array(memory);
    this.ringBytes = ringBytes;
    this.maxRecordBytes = ringBytes / 2;
    this.mask = ringBytes - 1;
    this.quarter = ringBytes / 4;
    this.header = new Int32Array(memory, 0, RING_START / 4);
    this.bytes = new Uint8Array(memory, RING_START, ringBytes);
    this.words = new Int32Array(memory, RING_START, ringBytes / 4);
    this.wakePeer = wakePeer;
  }

  /** Throws ERR_BAD_CHANNEL, now and on every later use: a corrupted ring is never read through again. */
  protected corrupted(why: string): never {
    this.corruption ??= why;
    throw new IpcError(`channel "${this.name}" was corrupted by another process: ${this.corruption}`, { code: 'ERR_BAD_CHANNEL', name: this.name });
  }
}

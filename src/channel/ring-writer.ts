// The producer's end of the ring (docs/channel-protocol.md, "Records" and "Ordering").
import { word } from './layout.js';
import { CONTINUED, FIRST, FIRST_HEADER, HEADER, PADDING, RING_START, RingEnd, SHORT_COPY_BYTES } from './ring.js';

/** The producer's end: writes records at its tail and publishes the tail. */
export class RingWriter extends RingEnd {
  /** The largest message one record holds; larger ones go in chunks. */
  readonly maxWholeBytes: number;
  /** Records of a chunked message span a quarter of the ring, so that both sides can copy at once. */
  readonly chunkSpan: number;
  #tail: number;
  /** The consumer's head as last read. */
  #head: number;
  /** Records written, padding included (the header's tailSequence once published); its low 16 bits number the next one. */
  #records: number;
  /** Room the last write that did not fit needed. */
  #wanted = 0;
  #chunked: Uint8Array | undefined;
  #chunkedKind = 0;
  #chunkedOffset = 0;
  #claimedAt = -1;
  #claimedKind = 0;

  constructor(memory: ArrayBuffer, ringBytes: number, name: string, wakeConsumer: () => void) {
    super(memory, ringBytes, name, wakeConsumer);
    this.maxWholeBytes = this.maxRecordBytes - HEADER;
    this.chunkSpan = this.quarter;
    this.#tail = Atomics.load(this.header, word.tail);
    this.#head = Atomics.load(this.header, word.head);
    // A producer taking the role over picks the numbering up where the last one published it.
    this.#records = Atomics.load(this.header, word.tailSequence);
    const used = (this.#tail - this.#head) | 0;
    if ((this.#tail | this.#head) & 7 || used < 0 || used > ringBytes) {
      this.corrupted(`its counters (tail ${this.#tail >>> 0}, head ${this.#head >>> 0}) do not describe a ring of ${ringBytes} bytes`);
    }
  }

  /** Writes a message of at most maxWholeBytes as one record, or nothing when the ring has no room for it. */
  tryWrite(bytes: Uint8Array, kind: number): boolean {
    if (this.corruption !== undefined) this.corrupted(this.corruption);
    const size = bytes.length;
    const at = this.#place((size + HEADER + 7) & ~7);
    if (at < 0) return false;
    this.#writeHeader(at, size, kind, 0);
    const start = at + HEADER;
    if (size <= SHORT_COPY_BYTES) {
      const target = this.bytes;
      for (let i = 0; i < size; i++) target[start + i] = bytes[i]!;
    } else {
      this.bytes.set(bytes, start);
    }
    this.#tail = (this.#tail + ((size + HEADER + 7) & ~7)) | 0;
    return true;
  }

  /**
   * Claims a record of `byteLength` bytes (at most maxWholeBytes) to be filled in place; returns
   * where its payload starts in `memory`, or -1 when there is no room. commitClaim() publishes it.
   */
  tryClaim(byteLength: number, kind: number): number {
    const at = this.#place((byteLength + HEADER + 7) & ~7);
    if (at < 0) return -1;
    this.#claimedAt = at;
    this.#claimedKind = kind;
    return RING_START + at + HEADER;
  }

  /** Ends the claim: the record holds the first `byteLength` bytes of the claimed region. */
  commitClaim(byteLength: number): void {
    this.#writeHeader(this.#claimedAt, byteLength, this.#claimedKind, 0);
    this.#tail = (this.#tail + ((byteLength + HEADER + 7) & ~7)) | 0;
    this.#claimedAt = -1;
  }

  /** Starts a message larger than maxWholeBytes; tryWriteChunk() then writes it a record at a time. */
  startChunked(bytes: Uint8Array, kind: number): void {
    this.#chunked = bytes;
    this.#chunkedKind = kind;
    this.#chunkedOffset = 0;
  }

  /** Drops the chunked message being written; true when some of it was already written (the stream is then cut). */
  abandonChunked(): boolean {
    const started = this.#chunkedOffset > 0;
    this.#chunked = undefined;
    return started;
  }

  /** Whether a chunked message is partly written. */
  get chunking(): boolean {
    return this.#chunked !== undefined;
  }

  /** Writes the chunked message's next record, or nothing when there is no room. */
  tryWriteChunk(): boolean {
    const bytes = this.#chunked!;
    const offset = this.#chunkedOffset;
    const headerBytes = offset === 0 ? FIRST_HEADER : HEADER;
    const size = Math.min(bytes.length - offset, this.chunkSpan - headerBytes);
    const span = (headerBytes + size + 7) & ~7;
    const at = this.#place(span);
    if (at < 0) return false;
    this.#writeHeader(at, size, this.#chunkedKind, offset === 0 ? FIRST : CONTINUED);
    if (offset === 0) {
      this.words[(at >> 2) + 2] = bytes.length % 2 ** 32;
      this.words[(at >> 2) + 3] = Math.floor(bytes.length / 2 ** 32);
    }
    this.bytes.set(bytes.subarray(offset, offset + size), at + headerBytes);
    this.#tail = (this.#tail + span) | 0;
    this.#chunkedOffset = offset + size;
    if (this.#chunkedOffset === bytes.length) this.#chunked = undefined;
    return true;
  }

  /** Makes everything written visible to the consumer (a release store), and wakes it if it sleeps. */
  publish(): void {
    this.header[word.tailSequence] = this.#records; // ordered before the consumer's read by the release store of tail
    Atomics.store(this.header, word.tail, this.#tail);
    if (Atomics.load(this.header, word.consumerWaiting) !== 0) this.wakePeer();
  }

  /** Whether the consumer has made the room the last write that did not fit needed (reads its head again). */
  hasRoom(): boolean {
    return this.#room(this.#wanted);
  }

  /** Where a record of `span` bytes goes, after a padding record to the ring's end when it does not fit before it; -1 without room. */
  #place(span: number): number {
    if (this.corruption !== undefined) this.corrupted(this.corruption);
    const at = this.#tail & this.mask;
    const toEnd = this.ringBytes - at;
    if (span <= toEnd) return this.#room(span) ? at : -1;
    if (!this.#room(toEnd + span)) return -1;
    this.#writeHeader(at, toEnd - HEADER, 0, PADDING);
    this.#tail = (this.#tail + toEnd) | 0;
    return 0;
  }

  #room(need: number): boolean {
    if (need <= this.ringBytes - ((this.#tail - this.#head) | 0)) return true;
    if (this.corruption !== undefined) this.corrupted(this.corruption);
    const head = Atomics.load(this.header, word.head);
    const released = (head - this.#head) | 0;
    if (head & 7 || released < 0 || released > ((this.#tail - this.#head) | 0)) {
      this.corrupted(`the consumer's head moved from ${this.#head >>> 0} to ${head >>> 0}, outside the ${(this.#tail - this.#head) | 0} bytes it had to read`);
    }
    this.#head = head;
    if (need <= this.ringBytes - ((this.#tail - head) | 0)) return true;
    this.#wanted = need;
    return false;
  }

  #writeHeader(at: number, size: number, kind: number, flags: number): void {
    const index = at >> 2;
    this.words[index] = size;
    this.words[index + 1] = kind | (flags << 8) | (this.#records << 16);
    this.#records = (this.#records + 1) | 0;
  }
}

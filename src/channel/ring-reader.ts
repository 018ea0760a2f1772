// The consumer's end of the ring (docs/channel-protocol.md, "Reading a record" and "Ordering"):
// every record is checked before it is trusted, and the head is published once per drained batch.
import { elementBytesOfKind, word } from './layout.js';
import { CONTINUED, FIRST, FIRST_HEADER, HEADER, PADDING, RING_START, RingEnd, SHORT_COPY_BYTES } from './ring.js';

export class RingReader extends RingEnd {
  // The record peek() found: valid until advance().
  kind = 0;
  flags = 0;
  /** Payload bytes in this record. */
  size = 0;
  /** Where the payload starts in `memory`. */
  payloadOffset = 0;
  /** The whole message's length: `size` for a whole message, the announced length for a chunked one. */
  messageBytes = 0;
  #span = 0;
  /** Read up to here; the head published last; the producer's tail as last read. */
  #position: number;
  #published: number;
  #tail: number;
  /** The next record's number; -1 until the first record read sets it (the protocol's "Handles": taken as given). */
  #sequence: number;
  /** Nesting depth of batch(): the head waits for the batch's end. */
  #batching = 0;
  // A chunked message being assembled.
  #partial: Uint8Array | undefined;
  #partialKind = 0;
  #received = 0;

  /** Told when advance() leaves read bytes unpublished. */
  readonly #leftUnpublished: () => void;

  constructor(memory: ArrayBuffer, ringBytes: number, name: string, wakeProducer: () => void, leftUnpublished: () => void = () => undefined) {
    super(memory, ringBytes, name, wakeProducer);
    this.#leftUnpublished = leftUnpublished;
    this.#position = this.#published = Atomics.load(this.header, word.head);
    this.#tail = this.#position;
    this.#sequence = -1;
    if (this.#position & 7) this.corrupted(`its head (${this.#position >>> 0}) is not a multiple of 8`);
  }

  /**
   * Finds the next record that carries data (skipping padding) and checks it; false when the
   * producer has published nothing more. Peeking again without advance() finds the same record.
   */
  peek(): boolean {
    if (this.corruption !== undefined) this.corrupted(this.corruption);
    for (;;) {
      let available = (this.#tail - this.#position) | 0;
      if (available === 0) {
        if (this.#position !== this.#published) this.publish();
        available = this.#readTail();
        if (available === 0) return false;
      }
      const at = this.#position & this.mask;
      const size = this.words[at >> 2]!;
      const info = this.words[(at >> 2) + 1]!;
      const kind = info & 0xff;
      const flags = (info >> 8) & 0xff;
      const sequence = info >>> 16;
      if (sequence !== this.#sequence && this.#sequence >= 0) {
        this.#bad(`is number ${sequence}, expected ${this.#sequence}`);
      }
      const headerBytes = flags === FIRST ? FIRST_HEADER : HEADER;
      if (size < 0 || size > this.maxRecordBytes - headerBytes) {
        this.#bad(`says it holds ${size >>> 0} bytes; a record of this ring holds at most ${this.maxRecordBytes - headerBytes}`);
      }
      const span = (headerBytes + size + 7) & ~7;
      if (span > available || at + span > this.ringBytes) {
        this.#bad(`(${span} bytes) runs past the tail (${available} bytes published) or the ring's end`);
      }
      this.#sequence = sequence;
      this.#span = span;
      if (flags === PADDING && kind === 0) {
        this.advance();
        continue;
      }
      this.messageBytes = this.#check(kind, flags, size, at);
      this.kind = kind;
      this.flags = flags;
      this.size = size;
      this.payloadOffset = RING_START + at + headerBytes;
      return true;
    }
  }

  /**
   * Moves past the peeked record. The head is published at once when the ring looks drained, a
   * quarter of the ring was read since the last time, or the producer waits for room; otherwise
   * `leftUnpublished` is told, and the owner publishes before it leaves the channel idle. Inside a
   * batch (see `batch`) only the quarter rule applies until the batch's end.
   */
  advance(): void {
    this.#position = (this.#position + this.#span) | 0;
    this.#sequence = (this.#sequence + 1) & 0xffff;
    if (((this.#position - this.#published) | 0) >= this.quarter) this.publish();
    else if (this.#batching !== 0) return;
    else if (this.#position === this.#tail || Atomics.load(this.header, word.producerWaiting) !== 0) this.publish();
    else this.#leftUnpublished();
  }

  /** Runs `read` with the head published once at its end (receiveMany: one store for the whole batch). */
  batch<T>(read: () => T): T {
    this.#batching++;
    try {
      return read();
    } finally {
      if (--this.#batching === 0 && this.#published !== this.#position) this.publish();
    }
  }

  /** Gives the bytes read back to the producer (a release store), and wakes it if it sleeps for room. */
  publish(): void {
    if (this.#published === this.#position) return;
    this.#published = this.#position;
    Atomics.store(this.header, word.head, this.#position);
    if (Atomics.load(this.header, word.producerWaiting) !== 0) this.wakePeer();
  }

  /** Whether the producer has published bytes not read yet (reads its tail again). */
  hasData(): boolean {
    if (this.corruption !== undefined) this.corrupted(this.corruption);
    return this.#tail !== this.#position || this.#readTail() !== 0;
  }

  /** Copies the peeked record's payload into `target` at `offset`. */
  copyPayload(target: Uint8Array, offset = 0): void {
    const size = this.size;
    const start = this.payloadOffset - RING_START;
    if (size <= SHORT_COPY_BYTES) {
      const bytes = this.bytes;
      for (let i = 0; i < size; i++) target[offset + i] = bytes[start + i]!;
    } else {
      target.set(this.bytes.subarray(start, start + size), offset);
    }
  }

  /** The chunked message being assembled (null when none), and how many of its bytes arrived. */
  get partial(): Uint8Array | undefined {
    return this.#partial;
  }

  get received(): number {
    return this.#received;
  }

  /** Moves the message being assembled into `target` (as long as the message): what arrived is copied over. */
  movePartial(target: Uint8Array): void {
    target.set(this.#partial!.subarray(0, this.#received));
    this.#partial = target;
  }

  /**
   * Starts assembling the chunked message whose first record was peeked into `target` (exactly
   * messageBytes long), then reads on as continueChunked() does.
   */
  startChunked(target: Uint8Array): boolean {
    this.#partial = target;
    this.#partialKind = this.kind;
    this.#received = 0;
    this.copyPayload(target);
    this.#received = this.size;
    this.advance();
    return this.continueChunked();
  }

  /** Copies every record of the message being assembled that has arrived; true once it is whole (and no longer partial). */
  continueChunked(): boolean {
    const target = this.#partial!;
    while (this.#received < target.length) {
      if (!this.peek()) return false;
      this.copyPayload(target, this.#received);
      this.#received += this.size;
      this.advance();
    }
    this.#partial = undefined;
    return true;
  }

  /** Checks a record that carries data against its kind and the message it belongs to; returns the message's length. */
  #check(kind: number, flags: number, size: number, at: number): number {
    const elementBytes = elementBytesOfKind[kind]!;
    if (elementBytes === 0) this.#bad(`has kind ${kind}, which is none the protocol describes`);
    if (size % elementBytes !== 0) this.#bad(`holds ${size} bytes of kind ${kind}, not whole ${elementBytes}-byte elements`);
    if (flags === CONTINUED) {
      const partial = this.#partial;
      if (partial === undefined) this.#bad('continues a message that never began');
      if (kind !== this.#partialKind || size > partial.length - this.#received) {
        this.#bad(`(kind ${kind}, ${size} bytes) does not continue a message of kind ${this.#partialKind} with ${partial.length - this.#received} bytes to come`);
      }
      return partial.length;
    }
    if (flags !== 0 && flags !== FIRST) this.#bad(`has flags ${flags}, a combination the protocol does not describe`);
    if (this.#partial !== undefined) this.#bad(`begins a message while ${this.#partial.length - this.#received} bytes of the one before are still to come`);
    if (flags === 0) return size;
    const low = this.words[(at >> 2) + 2]! >>> 0;
    const high = this.words[(at >> 2) + 3]! >>> 0;
    const messageBytes = high * 2 ** 32 + low;
    if (high >= 2 ** 21 || messageBytes < size || messageBytes % elementBytes !== 0) {
      this.#bad(`begins a message of ${messageBytes} bytes of kind ${kind} with ${size} bytes`);
    }
    return messageBytes;
  }

  /** Reports the record at the read position as corrupted. */
  #bad(why: string): never {
    this.corrupted(`the record at ${this.#position >>> 0} ${why}`);
  }

  /** Reads the producer's tail (an acquire load) and checks it; returns the bytes available. */
  #readTail(): number {
    const tail = Atomics.load(this.header, word.tail);
    const available = (tail - this.#position) | 0;
    if (tail & 7 || available < ((this.#tail - this.#position) | 0) || available > this.ringBytes) {
      this.corrupted(`the producer's tail moved from ${this.#tail >>> 0} to ${tail >>> 0}: backwards, or more than the ring's ${this.ringBytes} bytes ahead of the head`);
    }
    this.#tail = tail;
    return available;
  }
}

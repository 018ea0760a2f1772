import { types } from 'node:util';
import { deserialize, serialize } from 'node:v8';

import { HandleTable, type Role } from './channel-handles.js';
import { isPayloadKind, kindOfConstructor, kindOfView, layout, PayloadKind, viewOfKind, type TypedArray } from './channel-layout.js';
import { IpcError } from './errors.js';
import { checkSpinMicros, Semaphore, tryWaitSpinning } from './semaphore.js';
import { SharedMemory } from './shared-memory.js';
import { checkBoolean, checkInteger, checkMode, checkOptions, checkTimeout, describe, isDetached, messageOf } from './validate.js';

export interface CreateChannelOptions {
  /** Bytes per slot; a larger message streams through the slots in chunks. Default 4 MiB. */
  slotSize?: number;
  /** Number of slots (1 to 64). Default 4. */
  slots?: number;
  /** Map every page of the segment into this process at creation. Default `false`. */
  populate?: boolean;
  /** Permission bits of the segment. Default `0o600`. */
  mode?: number;
  /** See `OpenChannelOptions.spinMicros`. */
  spinMicros?: number;
}

export interface OpenChannelOptions {
  /**
   * Busy-wait up to this many microseconds for the peer before sleeping, in every wait of this
   * handle (0 to 10^6). Default 0. Spinning uses a core and blocks this event loop while it spins,
   * for a lower round-trip latency when the peer answers within that time.
   */
  spinMicros?: number;
  /** Map every page of the segment into this process now, so the first messages do not pay for page faults. Default `false`. */
  populate?: boolean;
}

export interface ChannelWaitOptions {
  /** Give up after this many milliseconds with `ERR_TIMEOUT`. Default: wait forever. */
  timeoutMs?: number;
}

export type ChannelPayload = ArrayBuffer | ArrayBufferView;

const DEFAULT_SLOT_SIZE = 4 * 1024 * 1024;
const DEFAULT_SLOTS = 4;
const MAX_SLOT_SIZE = 2 ** 32 - layout.slotAlignment;
/** How often a blocked side checks that its peer is still alive. */
const PEER_CHECK_MS = 250;

interface Chunk {
  slot: number;
  messageBytes: number;
  chunkOffset: number;
  chunkBytes: number;
  kind: number;
}

/** The bytes of an ArrayBuffer (or SharedArrayBuffer) or of a view, refusing anything else and detached buffers. */
function bytesOf(data: unknown, what: string, use: 'readable' | 'writable'): Uint8Array {
  if (ArrayBuffer.isView(data)) {
    if (isDetached(data.buffer)) throw detached(what, use);
    return data instanceof Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (types.isArrayBuffer(data) || types.isSharedArrayBuffer(data)) {
    if (isDetached(data)) throw detached(what, use);
    return new Uint8Array(data);
  }
  throw new TypeError(`${what} must be an ArrayBuffer, a typed array or a DataView, got ${describe(data)}`);
}

function detached(what: string, use: string): TypeError {
  return new TypeError(`${what} must be ${use}, but its ArrayBuffer is detached (transferred, or its shared memory closed)`);
}

/**
 * A single-producer/single-consumer channel in one shared memory segment: a header, a slot table
 * and `slots` data slots, signalled by two in-segment semaphores. The side that calls `send` is
 * the producer, the side that calls `receive` the consumer; either may create the channel.
 */
export class ShmChannel {
  readonly name: string;
  readonly slotSize: number;
  readonly slots: number;
  readonly #segment: SharedMemory;
  /**
   * All of the segment's memory as bytes, to copy slots in and out without a view per copy (its
   * buffer is detached once closed, so a late access throws instead of reading unmapped memory).
   */
  readonly #dataBytes: Uint8Array;
  readonly #header: DataView;
  readonly #state: Int32Array;
  readonly #dataReady: Semaphore;
  readonly #slotFree: Semaphore;
  readonly #handles: HandleTable;
  #role: Role | undefined;
  #sequence = 0;
  #reserved: { slot: number; byteLength: number; kind: number; elementBytes: number } | undefined;
  #inPlace: Chunk | undefined;
  #peeked: Chunk | undefined;
  #broken: string | undefined;
  /** The latest operation, which the next one follows; `#unsettled` counts those not yet settled. */
  #latest: Promise<unknown> = Promise.resolve();
  #unsettled = 0;
  #closed = false;
  /** How long this handle spins for a unit before it sleeps (0: it does not spin). */
  readonly #spinMicros: number;
  /** When the peer's process was last checked: asking costs as much as a whole wake-up. */
  #peerCheckedAt = -Infinity;

  private constructor(segment: SharedMemory, dataReady: Semaphore, slotFree: Semaphore, spinMicros: number) {
    this.name = segment.name;
    this.#segment = segment;
    this.#dataBytes = new Uint8Array(segment.buffer);
    this.#header = new DataView(segment.buffer, 0, layout.headerBytes);
    this.#state = new Int32Array(segment.buffer, 0, layout.slotTableOffset / 4);
    this.slots = this.#header.getUint32(layout.slotCountOffset, true);
    this.slotSize = this.#header.getFloat64(layout.slotSizeOffset, true);
    this.#dataReady = dataReady;
    this.#slotFree = slotFree;
    this.#spinMicros = spinMicros;
    this.#handles = new HandleTable(segment.buffer, segment.name);
  }

  static create(name: string, options?: CreateChannelOptions): ShmChannel {
    const opts = checkOptions<CreateChannelOptions>(options, 'options', ['slotSize', 'slots', 'populate', 'mode', 'spinMicros']);
    const slotSize =
      opts.slotSize === undefined
        ? DEFAULT_SLOT_SIZE
        : checkInteger(opts.slotSize, 'options.slotSize', 1, MAX_SLOT_SIZE, `a positive integer number of bytes up to ${MAX_SLOT_SIZE}`);
    const slots =
      opts.slots === undefined ? DEFAULT_SLOTS : checkInteger(opts.slots, 'options.slots', 1, layout.maxSlots, `an integer from 1 to ${layout.maxSlots}`);
    const populate = checkBoolean(opts.populate, 'options.populate', false);
    const mode = opts.mode === undefined ? 0o600 : checkMode(opts.mode);
    const spinMicros = checkSpinMicros(opts.spinMicros);
    const alignedSlot = Math.ceil(slotSize / layout.slotAlignment) * layout.slotAlignment;
    const segment = SharedMemory.create(name, layout.headerBytes + alignedSlot * slots, { populate, mode });
    try {
      const header = new DataView(segment.buffer, 0, layout.headerBytes);
      header.setUint32(layout.versionOffset, layout.version, true);
      header.setUint32(layout.slotCountOffset, slots, true);
      header.setFloat64(layout.slotSizeOffset, alignedSlot, true);
      const dataReady = Semaphore.createIn(segment, layout.dataReadySemOffset, 0);
      const slotFree = Semaphore.createIn(segment, layout.slotFreeSemOffset, slots);
      // The magic goes last: a peer that sees it sees a fully initialised header.
      Atomics.store(new Int32Array(segment.buffer, 0, 1), layout.magicOffset / 4, layout.magic | 0);
      return new ShmChannel(segment, dataReady, slotFree, spinMicros);
    } catch (error) {
      segment.close();
      throw error;
    }
  }

  static open(name: string, options?: OpenChannelOptions): ShmChannel {
    const opts = checkOptions<OpenChannelOptions>(options, 'options', ['spinMicros', 'populate']);
    const spinMicros = checkSpinMicros(opts.spinMicros);
    const populate = checkBoolean(opts.populate, 'options.populate', false);
    const segment = SharedMemory.open(name, { populate });
    try {
      const bad = (why: string) =>
        new IpcError(`"${segment.name}" is not a usable ipclab channel: ${why}`, { code: 'ERR_BAD_CHANNEL', name: segment.name });
      if (segment.size < layout.headerBytes) throw bad(`it is ${segment.size} bytes, smaller than a channel header`);
      const header = new DataView(segment.buffer, 0, layout.headerBytes);
      if (Atomics.load(new Int32Array(segment.buffer, 0, 1), 0) !== (layout.magic | 0)) {
        throw bad('no channel magic (not a channel, or its creator has not finished initialising it)');
      }
      const version = header.getUint32(layout.versionOffset, true);
      if (version !== layout.version) throw bad(`layout version ${version}, this ipclab reads version ${layout.version}`);
      const slots = header.getUint32(layout.slotCountOffset, true);
      const slotSize = header.getFloat64(layout.slotSizeOffset, true);
      const slotSizeFits = Number.isSafeInteger(slotSize) && slotSize >= layout.slotAlignment && slotSize % layout.slotAlignment === 0;
      if (slots < 1 || slots > layout.maxSlots || !slotSizeFits || layout.headerBytes + slots * slotSize > segment.size) {
        throw bad(`its header (${slots} slots of ${slotSize} bytes) does not fit its ${segment.size} bytes`);
      }
      const dataReady = Semaphore.openIn(segment, layout.dataReadySemOffset);
      const slotFree = Semaphore.openIn(segment, layout.slotFreeSemOffset);
      return new ShmChannel(segment, dataReady, slotFree, spinMicros);
    } catch (error) {
      segment.close();
      throw error;
    }
  }

  /** Copies `data` into the channel (in chunks when larger than a slot). Resolves once all is written. */
  send(data: ChannelPayload, options?: ChannelWaitOptions): Promise<void> {
    let bytes: Uint8Array;
    let kind: number;
    try {
      bytes = bytesOf(data, 'data', 'readable');
      kind = ArrayBuffer.isView(data) ? kindOfView(data) : PayloadKind.arrayBuffer;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive('producer', options, (deadline) => this.#sendBytes(bytes, kind, deadline));
  }

  /** Sends any structured-cloneable value (`v8.serialize`); `receive()` returns it deserialized. */
  sendValue(value: unknown, options?: ChannelWaitOptions): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = serialize(value);
    } catch (error) {
      return Promise.reject(new TypeError(`value must be structured-cloneable (no functions, symbols or native handles): ${messageOf(error)}`));
    }
    return this.#exclusive('producer', options, (deadline) => this.#sendBytes(bytes, PayloadKind.value, deadline));
  }

  /**
   * Receives the next message as what was sent: a typed array of the same type, an ArrayBuffer,
   * a DataView, or the value given to `sendValue`.
   */
  receive<T = unknown>(options?: ChannelWaitOptions): Promise<T> {
    return this.#exclusive('consumer', options, (deadline) => this.#receiveMessage(deadline, undefined) as Promise<T>);
  }

  /**
   * Copies the next message's bytes into `target` (from its start) instead of allocating: for
   * streams that reuse one buffer. Resolves with the message's length in bytes. A message longer
   * than `target` rejects with ERR_OUT_OF_RANGE and stays for the next receive.
   */
  receiveInto(target: ChannelPayload, options?: ChannelWaitOptions): Promise<number> {
    let into: Uint8Array;
    try {
      into = bytesOf(target, 'target', 'writable');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive('consumer', options, (deadline) => this.#receiveMessage(deadline, into) as Promise<number>);
  }

  /**
   * Zero-copy send, step 1: waits for a free slot and returns a writable view of it. Fill it, then
   * call `commit()`. `reserve(n)` gives a Uint8Array of n bytes; `reserve(Int32Array, n)` n int32.
   */
  reserve(byteLength: number, options?: ChannelWaitOptions): Promise<Uint8Array>;
  reserve<C extends new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray>(
    type: C,
    length: number,
    options?: ChannelWaitOptions,
  ): Promise<InstanceType<C>>;
  reserve(typeOrBytes: unknown, lengthOrOptions?: unknown, maybeOptions?: ChannelWaitOptions): Promise<any> {
    try {
      let kind: number = PayloadKind.Uint8Array;
      let elementBytes = 1;
      let length = typeOrBytes;
      let options = lengthOrOptions as ChannelWaitOptions | undefined;
      if (typeof typeOrBytes === 'function') {
        const found = kindOfConstructor(typeOrBytes);
        if (found === undefined) throw new TypeError(`type must be a typed array constructor, got ${describe(typeOrBytes)}`);
        kind = found;
        elementBytes = (typeOrBytes as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
        length = lengthOrOptions;
        options = maybeOptions;
      }
      const maxLength = Math.floor(this.slotSize / elementBytes);
      checkInteger(length, 'length', 0, maxLength, `an integer from 0 to ${maxLength} (one slot of ${this.slotSize} bytes)`);
      const byteLength = (length as number) * elementBytes;
      return this.#exclusive('producer', options, async (deadline) => {
        if (this.#reserved) throw this.#wrongState('reserve() was already called; commit() that slot first');
        await this.#take(this.#slotFree, deadline, 'a free slot');
        const slot = this.#sequence % this.slots;
        this.#reserved = { slot, byteLength, kind, elementBytes };
        return viewOfKind(kind, this.#dataBytes.buffer as ArrayBuffer, this.#slotOffset(slot), byteLength) as TypedArray;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Zero-copy send, step 2: publishes the reserved view (or its first `length` elements). */
  commit(length?: number): void {
    const reserved = this.#reserved;
    if (!reserved) throw this.#wrongState('commit() needs a reserve() first');
    const { elementBytes } = reserved;
    const byteLength =
      length === undefined
        ? reserved.byteLength
        : checkInteger(length, 'length', 0, reserved.byteLength / elementBytes, `an integer from 0 to ${reserved.byteLength / elementBytes}`) *
          elementBytes;
    this.#reserved = undefined;
    this.#publish(reserved.slot, byteLength, 0, byteLength, reserved.kind);
  }

  /**
   * Zero-copy receive: resolves with a view of the next message inside the segment, valid until
   * `release()`. A message larger than one slot cannot be viewed in place: that rejects with
   * ERR_OUT_OF_RANGE and leaves the message for `receive()`.
   */
  receiveInPlace<T extends ArrayBufferView = ArrayBufferView>(options?: ChannelWaitOptions): Promise<T> {
    return this.#exclusive('consumer', options, async (deadline) => {
      if (this.#inPlace) throw this.#wrongState('receiveInPlace() already holds a slot; release() it first');
      const next = this.#nextChunk(deadline);
      const chunk = next instanceof Promise ? await next : next;
      if (chunk.chunkBytes !== chunk.messageBytes) {
        this.#peeked = chunk;
        throw new IpcError(
          `the next message on "${this.name}" is ${chunk.messageBytes} bytes, larger than one ${this.slotSize}-byte slot; receive() it instead`,
          { code: 'ERR_OUT_OF_RANGE', name: this.name },
        );
      }
      this.#inPlace = chunk;
      const kind = chunk.kind === PayloadKind.arrayBuffer || chunk.kind === PayloadKind.value ? PayloadKind.Uint8Array : chunk.kind;
      return this.#receivedView(kind, this.#dataBytes.buffer as ArrayBuffer, this.#slotOffset(chunk.slot), chunk.chunkBytes) as T;
    });
  }

  /** Gives the slot viewed by `receiveInPlace()` back to the producer. */
  release(): void {
    if (!this.#inPlace) throw this.#wrongState('release() needs a receiveInPlace() first');
    this.#inPlace = undefined;
    this.#sequence++;
    this.#slotFree.post();
  }

  /** Yields messages until the producer closes the channel. */
  async *[Symbol.asyncIterator](): AsyncGenerator<unknown> {
    for (;;) {
      try {
        yield await this.receive();
      } catch (error) {
        if (error instanceof IpcError && error.code === 'ERR_CHANNEL_CLOSED') return;
        throw error;
      }
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Tells the peer this side is done (its waits end with ERR_CHANNEL_CLOSED) and unmaps. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#handles.close();
    if (this.#role === 'producer') {
      Atomics.or(this.#state, layout.stateOffset / 4, layout.producerClosed);
      this.#wakePeer(this.#dataReady);
    } else if (this.#role === 'consumer') {
      Atomics.or(this.#state, layout.stateOffset / 4, layout.consumerClosed);
      this.#wakePeer(this.#slotFree);
    }
    this.#dataReady.close();
    this.#slotFree.close();
    this.#segment.close();
  }

  /** Wakes a peer blocked on `semaphore` to see the closed flag; a semaphore overwritten by someone else cannot stop close(). */
  #wakePeer(semaphore: Semaphore): void {
    try {
      semaphore.post();
    } catch (error) {
      if (!(error instanceof IpcError)) throw error;
    }
  }

  #slotOffset(slot: number): number {
    return layout.headerBytes + slot * this.slotSize;
  }

  #entryOffset(slot: number): number {
    return layout.slotTableOffset + slot * layout.slotEntrySize;
  }

  #closedError(): IpcError {
    return new IpcError(`channel "${this.name}" is closed`, { code: 'ERR_CLOSED', name: this.name });
  }

  #wrongState(message: string): IpcError {
    return new IpcError(`${message} (channel "${this.name}")`, { code: 'ERR_WRONG_STATE', name: this.name });
  }

  /** Runs one operation at a time in call order, as `role`, with the caller's timeout. */
  #exclusive<T>(role: Role, options: ChannelWaitOptions | undefined, operation: (deadline: number) => Promise<T>): Promise<T> {
    try {
      const opts = checkOptions<ChannelWaitOptions>(options, 'options', ['timeoutMs']);
      const timeout = checkTimeout(opts.timeoutMs, 'options.timeoutMs');
      if (this.#closed) throw this.#closedError();
      this.#claimRole(role);
      const run = async () => {
        try {
          // Closing ends queued and running operations alike with ERR_CLOSED, whatever they were doing.
          if (this.#closed) throw this.#closedError();
          if (this.#broken) throw this.#wrongState(this.#broken);
          const deadline = timeout < 0 ? Infinity : performance.now() + timeout;
          return await operation(deadline);
        } catch (error) {
          const saysClosed = error instanceof IpcError && error.code === 'ERR_CLOSED';
          throw this.#closed && !saysClosed ? this.#closedError() : error;
        } finally {
          this.#unsettled--;
        }
      };
      // With nothing in flight the operation starts now, a promise hop sooner; else after the latest.
      const idle = this.#unsettled === 0;
      this.#unsettled++;
      const result = idle ? run() : this.#latest.then(run, run);
      this.#latest = result;
      return result;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #claimRole(role: Role): void {
    if (this.#role === role) return;
    if (this.#role) {
      throw this.#wrongState(`this side is the ${this.#role}; a channel carries data one way, so use a second channel for replies`);
    }
    this.#handles.claim(role);
    this.#role = role;
  }

  /** Why the peer will never act, checking its process at most every PEER_CHECK_MS unless `now`. */
  #peerGone(now = false): IpcError | undefined {
    const state = Atomics.load(this.#state, layout.stateOffset / 4);
    const peerClosed = this.#role === 'producer' ? layout.consumerClosed : layout.producerClosed;
    if (state & peerClosed) {
      return new IpcError(`the other side closed channel "${this.name}"`, { code: 'ERR_CHANNEL_CLOSED', name: this.name });
    }
    // Asking the kernel whether the peer lives costs as much as a whole wake-up: do it at most once
    // per PEER_CHECK_MS, except in a blocked wait (which wakes that often to ask).
    if (!now && performance.now() - this.#peerCheckedAt < PEER_CHECK_MS) return undefined;
    this.#peerCheckedAt = performance.now();
    return this.#handles.peerGone(this.#role!);
  }

  /**
   * Takes a unit of `semaphore`: at once (returning undefined, no promise to await) when one is
   * free, else a promise of it after waiting. Errors say what they mean for this channel.
   */
  #take(semaphore: Semaphore, deadline: number, what: string): Promise<void> | undefined {
    try {
      // A producer stops as soon as the consumer is gone; a consumer first drains what was sent.
      if (this.#role === 'producer') {
        const gone = this.#peerGone();
        if (gone) throw gone;
      }
      // Spinning (when asked for, and time is left) happens here, so a unit that comes meanwhile needs no promise.
      if (this.#spinMicros > 0 && deadline > performance.now() ? tryWaitSpinning(semaphore, this.#spinMicros) : semaphore.tryWait()) return undefined;
    } catch (error) {
      throw this.#asChannelError(error, what);
    }
    return this.#waitFor(semaphore, deadline, what);
  }

  /** Says what a semaphore's error means for this channel, instead of naming the semaphore. */
  #asChannelError(error: unknown, what: string): unknown {
    if (!(error instanceof IpcError)) return error;
    if (error.code === 'ERR_CLOSED') {
      return new IpcError(`channel "${this.name}" was closed while waiting for ${what}`, { code: 'ERR_CLOSED', name: this.name });
    }
    if (error.code === 'ERR_CORRUPT_SEMAPHORE') {
      return new IpcError(
        `channel "${this.name}" cannot wait for ${what}: another process overwrote the semaphore that signals it (${error.message})`,
        { code: 'ERR_CORRUPT_SEMAPHORE', name: this.name },
      );
    }
    return error;
  }

  async #waitFor(semaphore: Semaphore, deadline: number, what: string): Promise<void> {
    try {
      // The first check is throttled (it costs as much as a wake-up); after each timed slice, ask the kernel.
      for (let sliced = false; ; sliced = true) {
        const gone = this.#peerGone(sliced);
        if (gone) throw gone;
        const remaining = deadline - performance.now();
        if (remaining <= 0) {
          this.#broken ??= `an earlier call timed out waiting for ${what}`;
          throw new IpcError(`timed out waiting for ${what} on channel "${this.name}"`, { code: 'ERR_TIMEOUT', name: this.name });
        }
        if (await semaphore.wait(Math.min(remaining, PEER_CHECK_MS))) return;
      }
    } catch (error) {
      throw this.#asChannelError(error, what);
    }
  }

  #publish(slot: number, messageBytes: number, chunkOffset: number, chunkBytes: number, kind: number): void {
    const entry = this.#entryOffset(slot);
    this.#header.setFloat64(entry + layout.entryMessageBytesOffset, messageBytes, true);
    this.#header.setFloat64(entry + layout.entryChunkOffsetOffset, chunkOffset, true);
    this.#header.setUint32(entry + layout.entryChunkBytesOffset, chunkBytes, true);
    this.#header.setUint32(entry + layout.entryKindOffset, kind, true);
    this.#sequence++;
    this.#header.setUint32(entry + layout.entrySequenceOffset, this.#sequence >>> 0, true);
    this.#dataReady.post();
  }

  async #sendBytes(bytes: Uint8Array, kind: number, deadline: number): Promise<void> {
    if (this.#reserved) throw this.#wrongState('a reserved slot is not committed yet; commit() it first');
    const total = bytes.byteLength;
    let offset = 0;
    do {
      const chunkBytes = Math.min(this.slotSize, total - offset);
      if (offset > 0) this.#broken = 'an earlier send() stopped in the middle of a message';
      const waiting = this.#take(this.#slotFree, deadline, 'a free slot');
      if (waiting) await waiting;
      const slot = this.#sequence % this.slots;
      this.#dataBytes.set(chunkBytes === total ? bytes : bytes.subarray(offset, offset + chunkBytes), this.#slotOffset(slot));
      this.#publish(slot, total, offset, chunkBytes, kind);
      offset += chunkBytes;
    } while (offset < total);
    this.#broken = undefined;
  }

  /** The next chunk: at once when one is ready (no promise to await), else a promise of it. */
  #nextChunk(deadline: number): Chunk | Promise<Chunk> {
    if (this.#peeked) {
      const chunk = this.#peeked;
      this.#peeked = undefined;
      return chunk;
    }
    const waiting = this.#take(this.#dataReady, deadline, 'data');
    return waiting ? waiting.then(() => this.#readChunk()) : this.#readChunk();
  }

  #readChunk(): Chunk {
    const slot = this.#sequence % this.slots;
    const entry = this.#entryOffset(slot);
    const expected = (this.#sequence + 1) >>> 0;
    if (this.#header.getUint32(entry + layout.entrySequenceOffset, true) !== expected) {
      const gone = this.#peerGone(true);
      if (gone) throw gone;
      throw this.#wrongState(`slot ${slot} does not hold chunk ${expected}: the segment was changed by someone else`);
    }
    const chunk = {
      slot,
      messageBytes: this.#header.getFloat64(entry + layout.entryMessageBytesOffset, true),
      chunkOffset: this.#header.getFloat64(entry + layout.entryChunkOffsetOffset, true),
      chunkBytes: this.#header.getUint32(entry + layout.entryChunkBytesOffset, true),
      kind: this.#header.getUint32(entry + layout.entryKindOffset, true),
    };
    const fits =
      Number.isSafeInteger(chunk.messageBytes) &&
      Number.isSafeInteger(chunk.chunkOffset) &&
      chunk.chunkOffset >= 0 &&
      chunk.chunkBytes <= this.slotSize &&
      chunk.chunkOffset + chunk.chunkBytes <= chunk.messageBytes &&
      (chunk.chunkBytes > 0 || chunk.messageBytes === 0) &&
      isPayloadKind(chunk.kind);
    if (!fits) throw this.#corrupted(`slot ${slot} describes an impossible chunk (${JSON.stringify(chunk)})`);
    return chunk;
  }

  /** A view of received bytes as their kind says; a length the kind cannot view means a corrupted entry. */
  #receivedView(kind: number, buffer: ArrayBuffer, byteOffset: number, byteLength: number): ArrayBufferView {
    try {
      return viewOfKind(kind, buffer, byteOffset, byteLength);
    } catch (error) {
      throw this.#corrupted(`a message of kind ${kind} cannot be ${byteLength} bytes long (${messageOf(error)})`);
    }
  }

  #corrupted(why: string): IpcError {
    this.#broken = `channel "${this.name}" was corrupted: ${why}`;
    return new IpcError(`channel "${this.name}" was corrupted by another process: ${why}`, { code: 'ERR_BAD_CHANNEL', name: this.name });
  }

  /**
   * Reads one whole message into `into` and resolves with its length, or into a new buffer and
   * resolves with the message as sent.
   */
  async #receiveMessage(deadline: number, into: Uint8Array | undefined): Promise<unknown> {
    if (this.#inPlace) throw this.#wrongState('receiveInPlace() holds a slot; release() it first');
    let target: Uint8Array | undefined;
    let kind = 0;
    let received = 0;
    let total = 0;
    do {
      if (target) this.#broken = 'an earlier receive() stopped in the middle of a message';
      const next = this.#nextChunk(deadline);
      const chunk = next instanceof Promise ? await next : next;
      if (!target) {
        if (into && chunk.messageBytes > into.byteLength) {
          this.#peeked = chunk;
          throw new IpcError(
            `the next message on "${this.name}" is ${chunk.messageBytes} bytes, longer than the ${into.byteLength}-byte target; it stays for the next receive`,
            { code: 'ERR_OUT_OF_RANGE', name: this.name },
          );
        }
        target = into ? into.subarray(0, chunk.messageBytes) : this.#allocate(chunk.messageBytes);
        kind = chunk.kind;
        total = chunk.messageBytes;
      } else if (chunk.messageBytes !== total || chunk.kind !== kind || chunk.chunkOffset !== received) {
        throw this.#corrupted(`chunk at ${chunk.chunkOffset} of a ${chunk.messageBytes}-byte message continues ${received} of ${total} bytes`);
      }
      const start = this.#slotOffset(chunk.slot);
      target.set(this.#dataBytes.subarray(start, start + chunk.chunkBytes), chunk.chunkOffset);
      received += chunk.chunkBytes;
      this.#sequence++;
      this.#slotFree.post();
    } while (received < total);
    this.#broken = undefined;
    return into ? total : this.#asSent(target, kind);
  }

  #allocate(messageBytes: number): Uint8Array {
    try {
      return new Uint8Array(messageBytes);
    } catch (error) {
      throw new IpcError(`cannot hold a message of ${messageBytes} bytes from channel "${this.name}": ${messageOf(error)}`, {
        code: 'ENOMEM',
        name: this.name,
      });
    }
  }

  /** A received message as it was sent: the value, the ArrayBuffer, or a view of the sent kind. */
  #asSent(bytes: Uint8Array, kind: number): unknown {
    if (kind === PayloadKind.value) {
      try {
        return deserialize(bytes);
      } catch (error) {
        throw this.#corrupted(`a value message does not deserialize (${messageOf(error)})`);
      }
    }
    if (kind === PayloadKind.arrayBuffer) return bytes.buffer;
    return this.#receivedView(kind, bytes.buffer as ArrayBuffer, 0, bytes.byteLength);
  }
}

// The public ShmChannel: options and argument checks, roles, call order, and the promises. The
// ring (ring-*.ts), the sides (producer.ts, consumer.ts) and the waiting (wait.ts) live next door.
import { IpcError } from '../errors.js';
import { checkSpinMicros } from '../semaphore.js';
import { checkBoolean, checkInteger, checkMode, checkOptions, checkTimeout, describe } from '../validate.js';
import { EMPTY, Consumer, type Empty } from './consumer.js';
import type { Role } from './handles.js';
import { kindOfConstructor, layout, PayloadKind, type TypedArray } from './layout.js';
import { ChannelLink, isRingSize } from './link.js';
import { bytesOf, jsonBytes, kindOf, serializeValue, type ChannelPayload } from './payload.js';
import { Producer } from './producer.js';
import { CallQueue } from './queue.js';

export interface CreateChannelOptions {
  /** Size of the ring of messages: a power of two from 4096 to 2^30. Larger messages stream through it in chunks. Default 4 MiB. */
  ringBytes?: number;
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

export interface ReceiveManyOptions extends ChannelWaitOptions {
  /** At most this many messages (`Infinity`: every one there). Default 1024, so that a batch stays young for the garbage collector. */
  max?: number;
}

export type { ChannelPayload };

/** 4 MiB: a 1 MiB message is one record, and an 8-byte stream publishes its head every 64K messages. */
export const DEFAULT_RING_BYTES = 4 * 1024 * 1024;
/**
 * receiveMany's default `max`. Measured with 8-byte messages: 64 to 4096 all took 5.5-7 million
 * messages/s, while "all there" (up to 256K messages in a 4 MiB ring) took 0.6 million: arrays that
 * large outlive the young generation, and the garbage collector took two thirds of the time.
 */
export const DEFAULT_RECEIVE_MANY = 1024;

type TypedArrayConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray;

/** Milliseconds of the caller's timeout (-1: none), read from its options. */
function timeoutOf(options: ChannelWaitOptions | undefined): number {
  if (options === undefined) return -1;
  return checkTimeout(checkOptions<ChannelWaitOptions>(options, 'options', ['timeoutMs']).timeoutMs, 'options.timeoutMs');
}

/** What a send that finished at once returns: one settled promise serves them all. */
const SENT: Promise<void> = Promise.resolve();

const deadlineAfter = (timeout: number) => (timeout < 0 ? Infinity : performance.now() + timeout);

/**
 * A single-producer/single-consumer channel in one shared memory segment: one ring of bytes
 * holding variable-length records (protocol v3, docs/channel-protocol.md). The side that sends is
 * the producer, the side that receives the consumer; either may create the channel.
 */
export class ShmChannel {
  readonly #link: ChannelLink;
  readonly #queue = new CallQueue();
  #producer: Producer | undefined;
  #consumer: Consumer | undefined;

  private constructor(link: ChannelLink) {
    this.#link = link;
  }

  static create(name: string, options?: CreateChannelOptions): ShmChannel {
    const opts = checkOptions<CreateChannelOptions & { slots: unknown; slotSize: unknown }>(options, 'options', ['ringBytes', 'populate', 'mode', 'spinMicros', 'slots', 'slotSize']);
    const replaced = (['slotSize', 'slots'] as const).find((key) => key in opts);
    if (replaced) {
      throw new TypeError(
        `options.${replaced} was replaced by options.ringBytes: a channel is one ring of ringBytes bytes (a power of two from ${layout.minRingBytes} to 2^30, default ${DEFAULT_RING_BYTES}) that carries messages of any size`,
      );
    }
    const ringBytes = opts.ringBytes === undefined ? DEFAULT_RING_BYTES : checkRingBytes(opts.ringBytes);
    const populate = checkBoolean(opts.populate, 'options.populate', false);
    const mode = opts.mode === undefined ? 0o600 : checkMode(opts.mode);
    const spinMicros = checkSpinMicros(opts.spinMicros);
    return new ShmChannel(ChannelLink.create(name, ringBytes, spinMicros, { populate, mode }));
  }

  static open(name: string, options?: OpenChannelOptions): ShmChannel {
    const opts = checkOptions<OpenChannelOptions>(options, 'options', ['spinMicros', 'populate']);
    const spinMicros = checkSpinMicros(opts.spinMicros);
    const populate = checkBoolean(opts.populate, 'options.populate', false);
    return new ShmChannel(ChannelLink.open(name, spinMicros, { populate }));
  }

  get name(): string {
    return this.#link.name;
  }

  get ringBytes(): number {
    return this.#link.ringBytes;
  }

  get closed(): boolean {
    return this.#link.closed;
  }

  /** Copies `data` into the channel (in chunks when larger than a record). Resolves once all of it is in the ring. */
  send(data: ChannelPayload, options?: ChannelWaitOptions): Promise<void> {
    let bytes: Uint8Array;
    let kind: number;
    try {
      bytes = bytesOf(data, 'data', 'readable');
      kind = kindOf(data);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#sendBytes(bytes, kind, options);
  }

  /** Sends any structured-cloneable value (`v8.serialize`); `receive()` returns it deserialized. */
  sendValue(value: unknown, options?: ChannelWaitOptions): Promise<void> {
    return this.#sendEncoded(serializeValue, value, PayloadKind.value, options);
  }

  /** Sends `JSON.stringify(value)` as UTF-8 text (kind 13, which other languages read too); `receive()` returns it parsed. */
  sendJson(value: unknown, options?: ChannelWaitOptions): Promise<void> {
    return this.#sendEncoded(jsonBytes, value, PayloadKind.json, options);
  }

  /** Writes `data` now and returns true, or returns false when the ring has no room for it (or earlier calls still wait). Never waits. */
  trySend(data: ChannelPayload): boolean {
    const bytes = bytesOf(data, 'data', 'readable');
    const producer = this.#side('producer') as Producer;
    return this.#queue.idle && producer.trySend(bytes, kindOf(data));
  }

  /** Sends every message of `list` in order, publishing them at once (one wake-up of the consumer at most) when they fit. */
  sendMany(list: readonly ChannelPayload[], options?: ChannelWaitOptions): Promise<void> {
    let messages: Uint8Array[];
    let kinds: number[];
    try {
      if (!Array.isArray(list)) throw new TypeError(`list must be an array of ArrayBuffers, typed arrays or DataViews, got ${describe(list)}`);
      messages = list.map((data, index) => bytesOf(data, `list[${index}]`, 'readable'));
      kinds = list.map(kindOf);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#produce(options, (producer, deadline) => producer.sendMany(messages, kinds, deadline));
  }

  /**
   * Receives the next message as what was sent: a typed array of the same type, an ArrayBuffer,
   * a DataView, or the value given to `sendValue` or `sendJson`. Settles without waiting for the
   * event loop when a message is there.
   */
  receive<T = unknown>(options?: ChannelWaitOptions): Promise<T> {
    const consumer = this.#idleConsumer(options);
    if (consumer !== undefined) {
      try {
        const message = consumer.take();
        if (message !== EMPTY) return Promise.resolve(message as T);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#consume(options, (consumer) => consumer.take() as T | Empty);
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
      const consumer = this.#idleConsumer(options);
      const length = consumer === undefined ? EMPTY : consumer.takeInto(into);
      if (length !== EMPTY) return Promise.resolve(length);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#consume(options, (consumer) => consumer.takeInto(into));
  }

  /** Every message that is there, up to `options.max`; waits like receive() when there is none. */
  receiveMany<T = unknown>(options?: ReceiveManyOptions): Promise<T[]> {
    let max: number;
    let timeout: number;
    try {
      const opts = checkOptions<ReceiveManyOptions>(options, 'options', ['max', 'timeoutMs']);
      max = opts.max === undefined || opts.max === Infinity ? (opts.max ?? DEFAULT_RECEIVE_MANY) : checkInteger(opts.max, 'options.max', 1, Number.MAX_SAFE_INTEGER, 'a positive integer or Infinity');
      timeout = checkTimeout(opts.timeoutMs, 'options.timeoutMs');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#consume({ timeoutMs: timeout < 0 ? undefined : timeout }, (consumer) => consumer.takeMany(max) as T[] | Empty);
  }

  /** The next message if one is whole in the ring, else undefined (also while earlier calls wait). Never waits. */
  tryReceive<T = unknown>(): T | undefined {
    const consumer = this.#side('consumer') as Consumer;
    if (!this.#queue.idle) return undefined;
    const message = consumer.take();
    if (message !== EMPTY) return message as T;
    const gone = consumer.gone(false);
    if (gone) throw gone;
    return undefined;
  }

  /**
   * Zero-copy send, step 1: waits for room and returns a writable view inside the ring. Fill it,
   * then call `commit()`. `reserve(n)` gives a Uint8Array of n bytes; `reserve(Int32Array, n)` n int32.
   */
  reserve(byteLength: number, options?: ChannelWaitOptions): Promise<Uint8Array>;
  reserve<C extends TypedArrayConstructor>(type: C, length: number, options?: ChannelWaitOptions): Promise<InstanceType<C>>;
  reserve(typeOrBytes: unknown, lengthOrOptions?: unknown, maybeOptions?: ChannelWaitOptions): Promise<any> {
    let kind: number = PayloadKind.Uint8Array;
    let elementBytes = 1;
    let length = typeOrBytes;
    let options = lengthOrOptions as ChannelWaitOptions | undefined;
    try {
      if (typeof typeOrBytes === 'function') {
        const found = kindOfConstructor(typeOrBytes);
        if (found === undefined) throw new TypeError(`type must be a typed array constructor, got ${describe(typeOrBytes)}`);
        kind = found;
        elementBytes = (typeOrBytes as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
        length = lengthOrOptions;
        options = maybeOptions;
      }
      const most = Math.floor((this.#link.ringBytes / 2 - layout.recordHeaderBytes) / elementBytes);
      checkInteger(length, 'length', 0, most, `an integer from 0 to ${most} (one record, half the ring of ${this.#link.ringBytes} bytes)`);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#produce(options, (producer, deadline) => producer.reserve((length as number) * elementBytes, kind, elementBytes, deadline));
  }

  /** Zero-copy send, step 2: publishes the reserved view (or its first `length` elements). */
  commit(length?: number): void {
    const producer = this.#side('producer') as Producer;
    const { byteLength, elementBytes } = producer.reservation;
    const most = byteLength / elementBytes;
    const committed = length === undefined ? most : checkInteger(length, 'length', 0, most, `an integer from 0 to ${most}`);
    producer.commit(committed * elementBytes);
  }

  /**
   * Zero-copy receive: resolves with a view of the next message inside the ring, valid until
   * `release()`. A message sent in chunks cannot be viewed in place: that rejects with
   * ERR_OUT_OF_RANGE and leaves it for `receive()`.
   */
  receiveInPlace<T extends ArrayBufferView = ArrayBufferView>(options?: ChannelWaitOptions): Promise<T> {
    return this.#consume(options, (consumer) => consumer.takeInPlace() as T | Empty);
  }

  /** Gives the message viewed by `receiveInPlace()` back to the producer. */
  release(): void {
    (this.#side('consumer') as Consumer).release();
  }

  /** Yields messages until the producer closes the channel, taking every message there before it waits again. */
  [Symbol.asyncIterator](): AsyncIterableIterator<unknown> {
    const next = (): Promise<IteratorResult<unknown>> => {
      try {
        const consumer = this.#side('consumer') as Consumer;
        const message = this.#queue.idle ? consumer.take() : EMPTY;
        if (message !== EMPTY) return Promise.resolve({ value: message, done: false });
      } catch (error) {
        return Promise.reject(error);
      }
      return this.receive().then(
        (value) => ({ value, done: false }),
        (error: unknown) => {
          if (error instanceof IpcError && error.code === 'ERR_CHANNEL_CLOSED') return { value: undefined, done: true };
          throw error;
        },
      );
    };
    return {
      next,
      return: async () => ({ value: undefined, done: true }),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Tells the peer this side is done (its waits end at once with ERR_CHANNEL_CLOSED), and unmaps. Idempotent. */
  close(): void {
    const link = this.#link;
    if (link.closed) return;
    try {
      for (const side of [this.#producer, this.#consumer]) {
        try {
          side?.close();
        } catch (error) {
          if (!(error instanceof IpcError)) throw error; // a ring a peer corrupted cannot stop close()
        }
      }
    } finally {
      link.close();
    }
  }

  /** This handle's producer or consumer, claiming the role on first use. */
  #side(role: Role): Producer | Consumer {
    const link = this.#link;
    if (link.closed) throw link.closedError();
    const side = role === 'producer' ? this.#producer : this.#consumer;
    if (side) return side;
    const other = role === 'producer' ? this.#consumer : this.#producer;
    if (other) throw link.wrongState(`this side is the ${role === 'producer' ? 'consumer' : 'producer'}; a channel carries data one way, so use a second channel for replies`);
    const made = role === 'producer' ? new Producer(link) : new Consumer(link);
    link.handles.claim(role);
    if (made instanceof Producer) this.#producer = made;
    else this.#consumer = made;
    return made;
  }

  #sendEncoded(encode: (value: unknown) => Uint8Array, value: unknown, kind: number, options: ChannelWaitOptions | undefined): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = encode(value);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#sendBytes(bytes, kind, options);
  }

  /** A message into the ring: at once when this handle is idle and the ring has room, else in call order. */
  #sendBytes(bytes: Uint8Array, kind: number, options: ChannelWaitOptions | undefined): Promise<void> {
    const producer = this.#producer;
    if (producer !== undefined && options === undefined && this.#queue.idle && !this.#link.closed) {
      try {
        if (producer.trySendNow(bytes, kind)) return SENT;
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#produce(options, (producer, deadline) => producer.send(bytes, kind, deadline));
  }

  /** The consumer, when an operation without options may run at once on it (the fast path of the receives). */
  #idleConsumer(options: ChannelWaitOptions | undefined): Consumer | undefined {
    return options === undefined && this.#queue.idle && !this.#link.closed ? this.#consumer : undefined;
  }

  /** Runs a producer operation in call order; it starts at once when nothing is pending. */
  #produce<T>(options: ChannelWaitOptions | undefined, operation: (producer: Producer, deadline: number) => T | Promise<T>): Promise<T> {
    try {
      const timeout = timeoutOf(options);
      const producer = this.#side('producer') as Producer;
      return this.#queue.run(() => {
        if (this.#link.closed) throw this.#link.closedError();
        return operation(producer, deadlineAfter(timeout));
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs a consumer operation in call order: `take` at once, and again after each wait until it gives a message. */
  #consume<T>(options: ChannelWaitOptions | undefined, take: (consumer: Consumer) => T | Empty): Promise<T> {
    try {
      const timeout = timeoutOf(options);
      const consumer = this.#side('consumer') as Consumer;
      return this.#queue.run(() => {
        if (this.#link.closed) throw this.#link.closedError();
        const result = take(consumer);
        if (result !== EMPTY) return result;
        return consumer.later(() => take(consumer), deadlineAfter(timeout)).catch((error: unknown) => {
          if (!this.#link.closed) consumer.keepPartial();
          throw error;
        });
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

function checkRingBytes(value: unknown): number {
  const expected = `a power of two from ${layout.minRingBytes} to 2^30`;
  checkInteger(value, 'options.ringBytes', layout.minRingBytes, layout.maxRingBytes, expected);
  if (!isRingSize(value as number)) throw new RangeError(`options.ringBytes must be ${expected}, got ${describe(value)}`);
  return value as number;
}

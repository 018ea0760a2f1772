// The public ShmChannel: roles, call order, and the promises, over the ring (ring-*.ts), the two
// sides (producer.ts, consumer.ts) and the waiting (wait.ts); options are checked in options.ts.
import { atExit, closeAtExit, forgetAtExit } from '../exit-hook.js';
import { checkInteger } from '../validate.js';
import { EMPTY, Consumer, messagesUntilClosed, type Empty } from './consumer.js';
import { peerOf, type Role } from './handles.js';
import { layout, PayloadKind } from './layout.js';
import { ChannelLink } from './link.js';
import {
  messagesOf,
  closeOptions,
  createOptions,
  openOptions,
  receiveManyOptions,
  reserveArguments,
  timeoutOf,
  type ChannelWaitOptions,
  type CloseChannelOptions,
  type CreateChannelOptions,
  type OpenChannelOptions,
  type ReceiveManyOptions,
  type TypedArrayConstructor,
} from './options.js';
import { bytesOf, jsonBytes, kindOf, serializeValue, type ChannelPayload } from './payload.js';
import { SendLedger } from './ledger.js';
import { Producer } from './producer.js';
import { CallQueue } from './queue.js';

export { DEFAULT_RECEIVE_MANY, DEFAULT_RING_BYTES } from './options.js';
export type { ChannelPayload, ChannelWaitOptions, CloseChannelOptions, CreateChannelOptions, OpenChannelOptions, ReceiveManyOptions };

/** What a send that finished at once returns: one settled promise serves them all. */
const SENT: Promise<void> = Promise.resolve();
/** receiveInto's settled promises of small lengths, made once each: a stream of one size allocates none. */
const resolvedLengths: Array<Promise<number> | undefined> = new Array(1025);

const deadlineAfter = (timeout: number) => (timeout < 0 ? Infinity : performance.now() + timeout);

/**
 * A single-producer/single-consumer channel in one shared memory segment: one ring of bytes
 * holding variable-length records (protocol v3, docs/channel-protocol.md). The side that sends is
 * the producer, the side that receives the consumer; either may create the channel.
 */
export class ShmChannel {
  readonly #link: ChannelLink;
  readonly #queue = new CallQueue();
  readonly #ledger = new SendLedger();
  #producer: Producer | undefined;
  #consumer: Consumer | undefined;
  /** What close() returned, once it was called. */
  #closing: Promise<void> | undefined;

  static #warm = false; // whether this process ran the hot paths once already (#warmUp)

  private constructor(link: ChannelLink, closeOnExit = false) {
    this.#link = link;
    if (closeOnExit) closeAtExit(this);
  }

  static create(name: string, options?: CreateChannelOptions): ShmChannel {
    const { ringBytes, spinMicros, populate, mode, closeOnExit } = createOptions(options);
    ShmChannel.#warmUp();
    return new ShmChannel(ChannelLink.create(name, ringBytes, spinMicros, { populate, mode }), closeOnExit);
  }

  static open(name: string, options?: OpenChannelOptions): ShmChannel {
    const { spinMicros, populate, closeOnExit } = openOptions(options);
    ShmChannel.#warmUp();
    return new ShmChannel(ChannelLink.open(name, spinMicros, { populate }), closeOnExit);
  }

  /**
   * The first message in a fresh process paid for V8 compiling every function on its path: a 4 KB bulk
   * message took 1.3-2.2 ms end to end in fresh processes, 0.55-0.65 ms once both had run the same
   * calls before. So the first create or open of a process runs each hot path once, over two handles
   * of a channel in its own memory (nothing in /dev/shm, nothing waits). About a millisecond, once.
   */
  static #warmUp(): void {
    if (ShmChannel.#warm) return;
    ShmChannel.#warm = true;
    const link = ChannelLink.inMemory('warm-up', layout.minRingBytes);
    const producer = new ShmChannel(link);
    const consumer = new ShmChannel(link.another());
    try {
      const settled = (promise: Promise<unknown>) => void promise.catch(() => undefined);
      for (let round = 0; round < 2; round++) {
        producer.trySend(new Uint8Array(8));
        consumer.tryReceive();
        settled(producer.send(new Int32Array(4)));
        settled(consumer.receiveInto(new Int32Array(4)));
        settled(producer.send(new Uint8Array(3000))); // chunked in the ring of 4096 bytes
        settled(consumer.receive());
        settled(producer.sendValue({ round }));
        settled(producer.sendJson({ round }));
        settled(consumer.receiveMany());
        settled(producer.sendMany([new Float64Array(2), new ArrayBuffer(4)]));
        settled(consumer.receive());
        settled(consumer.receive());
        settled(producer.reserve(16).then(() => producer.commit()));
      }
    } catch {
      // A warm-up that fails changes nothing: each call still works (more slowly) the first time.
    } finally {
      producer.close({ timeoutMs: 0 }).catch(() => undefined);
      consumer.close().catch(() => undefined);
    }
  }

  get name(): string {
    return this.#link.name;
  }

  get ringBytes(): number {
    return this.#link.ringBytes;
  }

  /** True once close() was called (while it lets pending sends finish too): the handle takes no more calls. */
  get closed(): boolean {
    return this.#link.closed || this.#closing !== undefined;
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

  /** Sends any structured-cloneable value (`v8.serialize`'s bytes); `receive()` returns it deserialized. */
  sendValue(value: unknown, options?: ChannelWaitOptions): Promise<void> {
    // The value writer's bytes are its scratch (value-writer.ts): copied when they must wait.
    return this.#sendEncoded(serializeValue, value, PayloadKind.value, options, true);
  }

  /** Sends `JSON.stringify(value)` as UTF-8 text (kind 13, which other languages read too); `receive()` returns it parsed. */
  sendJson(value: unknown, options?: ChannelWaitOptions): Promise<void> {
    return this.#sendEncoded(jsonBytes, value, PayloadKind.json, options);
  }

  /** Writes `data` now and returns true, or returns false when the ring has no room for it (or earlier calls still wait). Never waits. */
  trySend(data: ChannelPayload): boolean {
    const bytes = bytesOf(data, 'data', 'readable');
    const producer = this.#producerFor('trySend');
    const sent = this.#queue.idle && producer.trySend(bytes, kindOf(data));
    if (sent) this.#ledger.sentNow(1);
    return sent;
  }

  /** Sends every message of `list` in order, publishing them at once (one wake-up of the consumer at most) when they fit. */
  sendMany(list: readonly ChannelPayload[], options?: ChannelWaitOptions): Promise<void> {
    let batch: ReturnType<typeof messagesOf>;
    try {
      batch = messagesOf(list);
    } catch (error) {
      return Promise.reject(error);
    }
    const bytes = batch.messages.reduce((sum, message) => sum + message.length, 0);
    return this.#produce('sendMany', batch.messages.length, bytes, options, (producer, deadline) => producer.sendMany(batch.messages, batch.kinds, deadline));
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
      if (length !== EMPTY) return length < resolvedLengths.length ? (resolvedLengths[length] ??= Promise.resolve(length)) : Promise.resolve(length);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#consume(options, (consumer) => consumer.takeInto(into));
  }

  /** Every message that is there, up to `options.max`; waits like receive() when there is none. */
  receiveMany<T = unknown>(options?: ReceiveManyOptions): Promise<T[]> {
    let many: { max: number; wait: ChannelWaitOptions | undefined };
    try {
      many = receiveManyOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#consume(many.wait, (consumer) => consumer.takeMany(many.max) as T[] | Empty);
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
    let region: ReturnType<typeof reserveArguments>;
    try {
      region = reserveArguments(typeOrBytes, lengthOrOptions, maybeOptions, this.#link.ringBytes);
    } catch (error) {
      return Promise.reject(error);
    }
    const { byteLength, kind, elementBytes, options } = region;
    return this.#produce('reserve', 1, byteLength, options, (producer, deadline) => producer.reserve(byteLength, kind, elementBytes, deadline));
  }

  /** Zero-copy send, step 2: publishes the reserved view (or its first `length` elements). */
  commit(length?: number): void {
    if (this.#link.closed) throw this.#link.closedError();
    const producer = this.#side('producer') as Producer;
    const { byteLength, elementBytes } = producer.reservationFor(this.#ledger.pendingCall('reserve'));
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
    (this.#side('consumer') as Consumer).release(!this.#queue.idle);
  }

  /** Yields messages until the producer closes the channel, taking every message there before it waits again. */
  [Symbol.asyncIterator](): AsyncIterableIterator<unknown> {
    return messagesUntilClosed(() => {
      const consumer = this.#side('consumer') as Consumer;
      return this.#queue.idle ? consumer.take() : EMPTY;
    }, () => this.receive());
  }

  /**
   * Tells the peer this side is done and unmaps; the creator also unlinks the name. A producer lets
   * the sends it accepted finish first (up to `options.timeoutMs`, default no limit; a peer that
   * closes or dies ends them at once); with nothing pending it closes before it returns. The promise
   * rejects with ERR_MESSAGES_LOST naming every send that did not reach the ring (and the consumer
   * gets ERR_MESSAGES_LOST instead of a quiet end). Pending receives end with ERR_CLOSED. Idempotent:
   * later calls return the same promise.
   */
  close(options?: CloseChannelOptions): Promise<void> {
    if (this.#closing) return this.#closing;
    let timeout: number;
    try {
      timeout = closeOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#ledger.startClosing();
    this.#closing = this.#ledger.pending.size === 0 ? this.#finishClose() : this.#closeAfterSends(timeout);
    return this.#closing;
  }

  /** For the exit hook: closes now, telling the consumer how many accepted sends never reached the ring. */
  [atExit](): void {
    if (this.#link.closed) return;
    this.#ledger.startClosing();
    this.#link.close([this.#producer, this.#consumer], this.#ledger.unsentMessages());
  }

  async #closeAfterSends(timeoutMs: number): Promise<void> {
    const drained = this.#queue.settled();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      drained.then(() => true),
      ...(timeoutMs < 0 ? [] : [new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)))]),
    ]);
    clearTimeout(timer);
    if (!finished) {
      // The sends still waiting end with ERR_MESSAGES_LOST, and the consumer learns how many.
      this.#ledger.gaveUp(timeoutMs);
      this.#link.close([this.#producer, this.#consumer], this.#ledger.unsentMessages());
      await drained;
    } else if (this.#producer?.reserving) {
      // A reserve() that just resolved: the caller's commit() runs in its continuation.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return this.#finishClose();
  }

  #finishClose(): Promise<void> {
    forgetAtExit(this); // until now, an exit while sends were pending still closed the channel (and told the consumer)
    const uncommitted = this.#producer?.reserving === true && !this.#link.closed;
    this.#link.close([this.#producer, this.#consumer], this.#ledger.unsentMessages());
    const lost = this.#ledger.lostError(this.#link.name, uncommitted);
    return lost ? Promise.reject(lost) : SENT;
  }

  /** The producer, for a call that is refused once close() was called. */
  #producerFor(call: string): Producer {
    if (this.#closing && !this.#link.closed) throw this.#link.closingError(call);
    return this.#side('producer') as Producer;
  }

  /** This handle's producer or consumer, claiming the role on first use. */
  #side(role: Role): Producer | Consumer {
    const link = this.#link;
    if (link.closed) throw link.closedError();
    const side = role === 'producer' ? this.#producer : this.#consumer;
    if (side) return side;
    const other = role === 'producer' ? this.#consumer : this.#producer;
    if (other) throw link.wrongState(`this side is the ${peerOf(role)}; a channel carries data one way, so use a second channel for replies`);
    const made = role === 'producer' ? new Producer(link) : new Consumer(link);
    link.handles.claim(role);
    if (made instanceof Producer) this.#producer = made;
    else this.#consumer = made;
    return made;
  }

  #sendEncoded(encode: (value: unknown) => Uint8Array, value: unknown, kind: number, options: ChannelWaitOptions | undefined, scratch = false): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = encode(value);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#sendBytes(bytes, kind, options, scratch);
  }

  /**
   * A message into the ring: at once when this handle is idle and the ring has room, else in call
   * order (`scratch` bytes are copied then, as the next call reuses them).
   */
  #sendBytes(bytes: Uint8Array, kind: number, options: ChannelWaitOptions | undefined, scratch = false): Promise<void> {
    const producer = this.#producer;
    if (producer !== undefined && options === undefined && this.#queue.idle && this.#closing === undefined) {
      try {
        if (producer.trySendNow(bytes, kind)) {
          this.#ledger.sentNow(1);
          return SENT;
        }
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const kept = scratch ? bytes.slice() : bytes;
    return this.#produce('send', 1, kept.length, options, (producer, deadline) => producer.send(kept, kind, deadline));
  }

  /** The consumer, when an operation without options may run at once on it (the fast path of the receives). */
  #idleConsumer(options: ChannelWaitOptions | undefined): Consumer | undefined {
    return options === undefined && this.#queue.idle && !this.#link.closed ? this.#consumer : undefined;
  }

  /**
   * Runs a producer operation in call order; it starts at once when nothing is pending. The ledger
   * holds it until it settles, so that close() can wait for it and name it if it fails.
   */
  #produce<T>(
    call: string,
    count: number,
    bytes: number,
    options: ChannelWaitOptions | undefined,
    operation: (producer: Producer, deadline: number) => T | Promise<T>,
  ): Promise<T> {
    try {
      const timeout = timeoutOf(options);
      const producer = this.#producerFor(call);
      const ledger = this.#ledger;
      const send = ledger.open(call, count, bytes);
      const promise = this.#queue.run(() => {
        let result: T | Promise<T>;
        try {
          if (this.#link.closed) throw this.#link.closedError();
          result = operation(producer, deadlineAfter(timeout));
        } catch (error) {
          throw ledger.settle(send, { reason: error });
        }
        if (!(result instanceof Promise)) {
          ledger.settle(send);
          return result;
        }
        return result.then(
          (value) => {
            ledger.settle(send);
            return value;
          },
          (error: unknown) => {
            throw ledger.settle(send, { reason: error });
          },
        );
      });
      send.promise = promise;
      return promise;
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

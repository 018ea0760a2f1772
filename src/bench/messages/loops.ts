// The message pattern and the two loops every JS message transport runs over its endpoints.
// Message k is the `messageBytes` bytes of a fixed printable pattern starting at k % 94, so
// consecutive messages differ and a stale, repeated or corrupted message fails the check. Checks
// compare whole messages (Buffer.compare, a memcmp; string equality for text).
import type { DriveOutcome, Endpoint, Message, MessageCaseSpec, MessageClient, MessageServer, ServeOutcome } from '../side.js';

/** The pattern repeats every 94 bytes: byte i is 33 + (i * 7) % 94 ("!" to "~"). native/reference uses the same. */
export const PATTERN_PERIOD = 94;
/** Messages up to this long are compared by a loop: cheaper than a call into memcmp. */
const SHORT_COMPARE_BYTES = 32;
/** Messages a batch path's sender hands over at once, and its receiver takes at most. */
export const BATCH_MESSAGES = 256;

export type MessageForm = 'bytes' | 'text';

/** Message k of a case, as bytes or as the same characters in a string. */
export class MessagePattern {
  readonly #bytes: Buffer;
  readonly #text: string | undefined;
  readonly #size: number;
  /** The PATTERN_PERIOD distinct byte messages, made once rather than a view per message sent. */
  readonly #views: Buffer[];

  constructor(messageBytes: number, form: MessageForm) {
    this.#size = messageBytes;
    this.#bytes = Buffer.alloc(messageBytes + PATTERN_PERIOD);
    for (let i = 0; i < this.#bytes.length; i++) this.#bytes[i] = 33 + ((i * 7) % PATTERN_PERIOD);
    this.#text = form === 'text' ? this.#bytes.toString('latin1') : undefined;
    this.#views = form === 'text' ? [] : Array.from({ length: PATTERN_PERIOD }, (_, start) => this.#bytes.subarray(start, start + messageBytes));
  }

  message(index: number): Message {
    const start = index % PATTERN_PERIOD;
    return this.#text === undefined ? this.#views[start]! : this.#text.slice(start, start + this.#size);
  }

  /** A copy of message k with one byte changed (the `corrupt` fault). */
  corrupted(index: number): Message {
    const message = this.message(index);
    if (typeof message === 'string') return `${message[0] === 'x' ? 'y' : 'x'}${message.slice(1)}`;
    const copy = Uint8Array.from(message);
    copy[0] = copy[0]! ^ 1;
    return copy;
  }

  /**
   * undefined when `received` is message k, else what is wrong with it. Bytes are compared in place
   * against the pattern (no view of the expected message per check: at 8 bytes that view and the
   * call to compare were a third of a fast receiver's time).
   */
  check(received: Message, index: number): string | undefined {
    if (this.#text !== undefined) {
      const expected = this.message(index);
      if (received === expected) return undefined;
      return `message ${index} differs from its pattern (${typeof received === 'string' ? `${received.length} characters` : 'not text'})`;
    }
    if (typeof received !== 'string' && received.byteLength === this.#size && this.#matches(received, index % PATTERN_PERIOD)) return undefined;
    const length = typeof received === 'string' ? `${received.length} characters` : `${received.byteLength} bytes`;
    return `message ${index} differs from its pattern (${length}, expected ${this.#size} bytes)`;
  }

  /** Whether `received` equals the pattern's bytes from `start`: a loop for a few bytes, memcmp beyond. */
  #matches(received: Uint8Array, start: number): boolean {
    const size = this.#size;
    const bytes = this.#bytes;
    if (size > SHORT_COMPARE_BYTES) return bytes.compare(received, 0, size, start, start + size) === 0;
    for (let i = 0; i < size; i++) if (received[i] !== bytes[start + i]) return false;
    return true;
  }
}

const now = () => process.hrtime.bigint();

/** The message a reused-buffer receive left: the buffer, or the part of it the message filled. */
const filled = (buffer: Uint8Array, length: number): Message => (length === buffer.length ? buffer : buffer.subarray(0, length));

/** Echo side of latency: receive, echo at once, then check (off the round trip). */
async function echo(endpoint: Endpoint, spec: MessageCaseSpec, pattern: MessagePattern): Promise<ServeOutcome> {
  let mismatch: string | undefined;
  for (let k = 0; k < spec.warmup + spec.messages; k++) {
    const into = endpoint.receiveInto;
    const message = into ? filled(into.buffer, await into.next()) : await endpoint.receive();
    await endpoint.send(message);
    mismatch ??= pattern.check(message, k);
  }
  return mismatch === undefined ? { verified: true } : { verified: false, mismatch };
}

/** Timing side of latency: the clock runs from before send to the echo's arrival. */
async function ping(endpoint: Endpoint, spec: MessageCaseSpec, pattern: MessagePattern): Promise<DriveOutcome> {
  const roundTripNanos: number[] = [];
  let mismatch: string | undefined;
  for (let k = 0; k < spec.warmup + spec.messages; k++) {
    const message = spec.fault === 'corrupt' && k === spec.warmup ? pattern.corrupted(k) : pattern.message(k);
    const start = now();
    await endpoint.send(message);
    const into = endpoint.receiveInto;
    const reply = into ? filled(into.buffer, await into.next()) : await endpoint.receive();
    const end = now();
    if (k >= spec.warmup) roundTripNanos.push(Number(end - start));
    mismatch ??= pattern.check(reply, k);
  }
  return mismatch === undefined ? { verified: true, roundTripNanos } : { verified: false, mismatch, roundTripNanos };
}

/** Receiving side of throughput: every message is checked as it arrives, inside the timed window. */
async function sink(endpoint: Endpoint, spec: MessageCaseSpec, pattern: MessagePattern): Promise<ServeOutcome> {
  let mismatch: string | undefined;
  let windowStart: bigint | undefined;
  const total = spec.warmup + spec.messages;
  for (let k = 0; k < total; ) {
    if (endpoint.receiveBatch) {
      // A batch never runs past the last warm-up message, so the window starts exactly there.
      const batch = await endpoint.receiveBatch(Math.min(BATCH_MESSAGES, k < spec.warmup ? spec.warmup - k : total - k));
      for (const message of batch) {
        mismatch ??= pattern.check(message, k);
        k++;
      }
    } else {
      const into = endpoint.receiveInto;
      const message = into ? filled(into.buffer, await into.next()) : await endpoint.receive();
      mismatch ??= pattern.check(message, k);
      k++;
    }
    if (k === spec.warmup) windowStart = now();
  }
  const windowEnd = now();
  return {
    verified: mismatch === undefined,
    ...(mismatch === undefined ? {} : { mismatch }),
    ...(windowStart === undefined ? {} : { windowStartNs: String(windowStart) }),
    windowEndNs: String(windowEnd),
  };
}

/** Sending side of throughput: messages back to back (or in batches of BATCH_MESSAGES), as fast as the path takes them. */
async function stream(endpoint: Endpoint, spec: MessageCaseSpec, pattern: MessagePattern): Promise<DriveOutcome> {
  const startNs = String(now());
  const total = spec.warmup + spec.messages;
  const message = (k: number) => (spec.fault === 'corrupt' && k === spec.warmup ? pattern.corrupted(k) : pattern.message(k));
  for (let k = 0; k < total; ) {
    if (endpoint.sendBatch) {
      const batch: Message[] = [];
      for (const end = Math.min(total, k + BATCH_MESSAGES); k < end; k++) batch.push(message(k));
      await endpoint.sendBatch(batch);
    } else {
      await endpoint.send(message(k++));
    }
  }
  return { verified: true, startNs };
}

/** A server side that runs the mode's loop over an endpoint. */
export function serveOver(endpoint: Endpoint, spec: MessageCaseSpec, form: MessageForm): MessageServer {
  const pattern = new MessagePattern(spec.messageBytes, form);
  return {
    serve: () => (spec.mode === 'latency' ? echo : sink)(endpoint, spec, pattern),
    close: () => endpoint.close(),
  };
}

/** A client side that runs the mode's timed loop over an endpoint. */
export function driveOver(endpoint: Endpoint, spec: MessageCaseSpec, form: MessageForm): MessageClient {
  const pattern = new MessagePattern(spec.messageBytes, form);
  return {
    drive: () => (spec.mode === 'latency' ? ping : stream)(endpoint, spec, pattern),
    close: () => endpoint.close(),
  };
}

/** Messages that arrive before anyone asks for them wait here; receive() takes them in order. */
export class Inbox {
  readonly #queued: Message[] = [];
  readonly #waiting: Array<{ resolve: (message: Message) => void; reject: (error: Error) => void }> = [];
  #failure: Error | undefined;

  push(message: Message): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter.resolve(message);
    else this.#queued.push(message);
  }

  /** Every pending and later receive() rejects with `error` (the peer went away). */
  fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error);
  }

  receive(): Promise<Message> {
    if (this.#queued.length > 0) return Promise.resolve(this.#queued.shift()!);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }
}

// The consuming side of a channel handle: reads what the ring holds at once, and waits (wait.ts)
// only when it is empty. Each take*() is synchronous and returns EMPTY when the message has not
// (all) arrived; a chunked message is assembled across calls, so a receive that timed out in the
// middle of one loses nothing.
import { IpcError } from '../errors.js';
import { messageOf } from '../validate.js';
import { layout, PayloadKind, viewOfKind, word } from './layout.js';
import type { ChannelLink } from './link.js';
import { copyMessage, decodeMessage } from './payload.js';
import { RingReader } from './ring-reader.js';
import { Waiter, type WaitingSide } from './wait.js';

/** What take*() returns when no whole message is there yet. */
export const EMPTY: unique symbol = Symbol('ipclab.empty');
export type Empty = typeof EMPTY;

export class Consumer implements WaitingSide {
  readonly ring: RingReader;
  readonly #link: ChannelLink;
  readonly #waiter: Waiter;
  /** The kind of the chunked message being assembled, and whether it goes into a caller's buffer (receiveInto). */
  #assemblingKind = 0;
  #assemblingIntoCallers = false;
  /** A record is viewed in place until release(). */
  #inPlace = false;
  /** Publishes read bytes at the event loop's next turn, when a call left some unpublished. */
  #publishLater: NodeJS.Immediate | undefined;

  constructor(link: ChannelLink) {
    this.#link = link;
    const publishLater = () => {
      this.#publishLater = undefined;
      if (!this.#link.closed) this.ring.publish();
    };
    // A stream read message by message publishes in batches, yet a consumer that stops reading
    // gives its room back as soon as its event loop turns.
    const leftUnpublished = () => {
      this.#publishLater ??= setImmediate(publishLater).unref();
    };
    this.ring = new RingReader(link.memory, link.ringBytes, link.name, () => link.wake(layout.producerWaitingOffset), leftUnpublished);
    this.#waiter = new Waiter(link, this, 'consumer', 'data');
  }

  ready(): boolean {
    return this.ring.hasData();
  }

  /**
   * The producer closed or went away and left nothing more to read: a message cut short says how
   * much of it arrived. What it published before closing is read first (it may have landed after
   * the caller last looked).
   */
  gone(thorough: boolean): IpcError | undefined {
    const gone = this.#link.peerGone('consumer', thorough);
    if (gone !== undefined && this.ring.hasData()) return undefined;
    const partial = this.ring.partial;
    if (gone === undefined || partial === undefined) return gone;
    return new IpcError(`channel "${this.#link.name}" ended in the middle of a message: ${this.ring.received} of its ${partial.length} bytes arrived (${gone.message})`, {
      code: 'ERR_PEER_GONE',
      name: this.#link.name,
    });
  }

  /** Publishes the head before sleeping, which wakes a producer waiting for room. */
  beforeSleep(): void {
    this.ring.publish();
  }

  /** The next message as it was sent, or EMPTY. */
  take(): unknown {
    this.#checkUsable();
    const ring = this.ring;
    if (ring.partial !== undefined) {
      this.keepPartial();
      return this.#continue();
    }
    if (!ring.peek()) return EMPTY;
    if (ring.flags === 0) {
      const kind = ring.kind;
      const size = ring.size;
      const offset = ring.payloadOffset;
      try {
        return copyMessage(ring.memoryBytes, offset, size, kind, this.#link.name);
      } finally {
        ring.advance();
      }
    }
    this.#assemblingKind = ring.kind;
    this.#assemblingIntoCallers = false;
    const target = this.#allocate(ring.messageBytes);
    return ring.startChunked(target) ? decodeMessage(target, this.#assemblingKind, this.#link.name) : EMPTY;
  }

  /** Copies the next message into `target` and returns its length, or EMPTY. A longer message is refused and stays. */
  takeInto(target: Uint8Array): number | Empty {
    this.#checkUsable();
    const ring = this.ring;
    const partial = ring.partial;
    if (partial !== undefined) {
      // Assembled into this target, or into the channel's own buffer when an earlier call stopped.
      this.#checkFits(partial.length, target);
      if (!ring.continueChunked()) return EMPTY;
      if (!this.#assemblingIntoCallers) target.set(partial);
      return partial.length;
    }
    if (!ring.peek()) return EMPTY;
    const length = ring.messageBytes;
    this.#checkFits(length, target);
    if (ring.flags === 0) {
      ring.copyPayload(target);
      ring.advance();
      return length;
    }
    this.#assemblingKind = ring.kind;
    this.#assemblingIntoCallers = true;
    return ring.startChunked(target.subarray(0, length)) ? length : EMPTY;
  }

  /** A view of the next message inside the ring, valid until release(), or EMPTY. */
  takeInPlace(): ArrayBufferView | Empty {
    this.#checkUsable();
    const ring = this.ring;
    if (ring.partial !== undefined) throw this.#link.wrongState('an earlier receive stopped in the middle of a chunked message; receive() the rest first');
    if (!ring.peek()) return EMPTY;
    if (ring.flags !== 0) {
      throw new IpcError(
        `the next message on "${this.#link.name}" is ${ring.messageBytes} bytes, sent in chunks (more than one record of this ring holds, ${ring.maxRecordBytes - layout.recordHeaderBytes} bytes); receive() it instead`,
        { code: 'ERR_OUT_OF_RANGE', name: this.#link.name },
      );
    }
    this.#inPlace = true;
    const kind = ring.kind === PayloadKind.arrayBuffer || ring.kind === PayloadKind.value || ring.kind === PayloadKind.json ? PayloadKind.Uint8Array : ring.kind;
    return viewOfKind(kind, ring.memory, ring.payloadOffset, ring.size);
  }

  /** Gives the viewed message back; `receiving`: a call of this handle is still pending (the likely cause when none is viewed). */
  release(receiving: boolean): void {
    if (!this.#inPlace) {
      throw this.#link.wrongState(
        receiving
          ? 'release() needs a receiveInPlace() first, and the one called before it has not resolved yet (a missing await?): use `const view = await channel.receiveInPlace()`, read view, then release()'
          : 'release() needs a receiveInPlace() first: `const view = await channel.receiveInPlace()`, read view, then release()',
      );
    }
    this.#inPlace = false;
    this.ring.advance();
  }

  /** Every whole message there, up to `max`, or EMPTY when there is none. */
  takeMany(max: number): unknown[] | Empty {
    const messages: unknown[] = [];
    this.ring.batch(() => {
      while (messages.length < max) {
        const message = this.take();
        if (message === EMPTY) break;
        messages.push(message);
      }
    });
    return messages.length === 0 ? EMPTY : messages;
  }

  /** Runs `take` until it gives a message, waiting for data in between. */
  async later<T>(take: () => T | Empty, deadline: number): Promise<T> {
    for (;;) {
      const waiting = this.#waiter.wait(deadline);
      if (waiting) await waiting;
      const result = take();
      if (result !== EMPTY) return result;
    }
  }

  /**
   * A message being assembled in a caller's buffer (receiveInto) moves to one of its own when the
   * call gives up, so that the next receive continues it and the caller's buffer is free again.
   */
  keepPartial(): void {
    const partial = this.ring.partial;
    if (partial === undefined || !this.#assemblingIntoCallers) return;
    this.ring.movePartial(this.#allocate(partial.length));
    this.#assemblingIntoCallers = false;
  }

  /** Sets the consumer's closed bit and publishes the head, which wakes a producer waiting for room. */
  close(_unsent: number): void {
    if (this.#publishLater) clearImmediate(this.#publishLater);
    Atomics.or(this.#link.header, word.state, layout.consumerClosed);
    this.ring.publish();
  }

  #continue(): unknown {
    const target = this.ring.partial!;
    return this.ring.continueChunked() ? decodeMessage(target, this.#assemblingKind, this.#link.name) : EMPTY;
  }

  #checkUsable(): void {
    if (this.#inPlace) throw this.#link.wrongState('receiveInPlace() holds a message; release() it first');
  }

  #checkFits(length: number, target: Uint8Array): void {
    if (length > target.length) {
      throw new IpcError(
        `the next message on "${this.#link.name}" is ${length} bytes, longer than the ${target.length}-byte target; it stays for the next receive`,
        { code: 'ERR_OUT_OF_RANGE', name: this.#link.name },
      );
    }
  }

  #allocate(messageBytes: number): Uint8Array {
    try {
      return new Uint8Array(messageBytes);
    } catch (error) {
      throw new IpcError(`cannot hold a message of ${messageBytes} bytes from channel "${this.#link.name}": ${messageOf(error)}`, {
        code: 'ENOMEM',
        name: this.#link.name,
      });
    }
  }
}

/**
 * An async iterator of messages: what `takeNow` gives without waiting (no event-loop turn between
 * messages already there), else what `receive` resolves with; it ends when the producer closed.
 */
export function messagesUntilClosed(takeNow: () => unknown, receive: () => Promise<unknown>): AsyncIterableIterator<unknown> {
  const next = (): Promise<IteratorResult<unknown>> => {
    try {
      const message = takeNow();
      if (message !== EMPTY) return Promise.resolve({ value: message, done: false });
    } catch (error) {
      return Promise.reject(error);
    }
    return receive().then(
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

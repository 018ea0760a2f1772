// The producing side of a channel handle: writes into the ring at once when it has room, and waits
// (wait.ts) for room when it has not. Methods return undefined when they finished without waiting,
// so the public class can hand back an already-settled promise.
import { IpcError } from '../errors.js';
import { layout, viewOfKind, word } from './layout.js';
import type { ChannelLink } from './link.js';
import { RingWriter } from './ring-writer.js';
import { Waiter, type WaitingSide } from './wait.js';

interface Reservation {
  kind: number;
  elementBytes: number;
  byteLength: number;
}

export class Producer implements WaitingSide {
  readonly ring: RingWriter;
  readonly #link: ChannelLink;
  readonly #waiter: Waiter;
  /** Why this side can no longer send: a send stopped in the middle of a message. */
  #broken: string | undefined;
  #reservation: Reservation | undefined;

  constructor(link: ChannelLink) {
    this.#link = link;
    this.ring = new RingWriter(link.memory, link.ringBytes, link.name, () => link.wake(layout.consumerWaitingOffset));
    this.#waiter = new Waiter(link, this, 'producer', 'room in the ring');
  }

  ready(): boolean {
    return this.ring.hasRoom();
  }

  gone(thorough: boolean): IpcError | undefined {
    return this.#link.peerGone('producer', thorough);
  }

  beforeSleep(): void {}

  /** Writes a whole-record message now, or returns false (the ring is full). Never waits. */
  trySend(bytes: Uint8Array, kind: number): boolean {
    this.#checkUsable();
    if (bytes.length > this.ring.maxWholeBytes) {
      throw new RangeError(
        `data must be at most ${this.ring.maxWholeBytes} bytes for trySend() on channel "${this.#link.name}" (one record, half its ring), got ${bytes.length}; send() streams larger messages`,
      );
    }
    if (this.ring.tryWrite(bytes, kind)) {
      this.ring.publish();
      return true;
    }
    const gone = this.gone(false);
    if (gone) throw gone;
    return false;
  }

  /** Writes a whole-record message when the ring has room for it now: the fast path of send(). */
  trySendNow(bytes: Uint8Array, kind: number): boolean {
    this.#checkUsable();
    if (bytes.length > this.ring.maxWholeBytes || !this.ring.tryWrite(bytes, kind)) return false;
    this.ring.publish();
    return true;
  }

  send(bytes: Uint8Array, kind: number, deadline: number): Promise<void> | undefined {
    this.#checkUsable();
    if (bytes.length > this.ring.maxWholeBytes) {
      this.ring.startChunked(bytes, kind);
      return this.#writeChunks(deadline);
    }
    if (this.ring.tryWrite(bytes, kind)) {
      this.ring.publish();
      return undefined;
    }
    return this.#sendLater(bytes, kind, deadline);
  }

  /** Writes every message that fits, publishing once; waits for room for the rest. */
  sendMany(list: readonly Uint8Array[], kinds: readonly number[], deadline: number): Promise<void> | undefined {
    this.#checkUsable();
    const written = this.#writeWhole(list, kinds, 0);
    return written === list.length ? undefined : this.#sendManyLater(list, kinds, written, deadline);
  }

  /** Claims a record for the caller to fill; resolves with a view of it. */
  reserve(byteLength: number, kind: number, elementBytes: number, deadline: number): ArrayBufferView | Promise<ArrayBufferView> {
    this.#checkUsable();
    const claimed = this.#claim(byteLength, kind, elementBytes);
    return claimed ?? this.#reserveLater(byteLength, kind, elementBytes, deadline);
  }

  /** Whether a reserved region waits for commit(). */
  get reserving(): boolean {
    return this.#reservation !== undefined;
  }

  /**
   * The reservation's byte length and element size, or an ERR_WRONG_STATE when there is none that
   * says the likely cause: a reserve() still pending (not awaited), or none at all.
   */
  reservationFor(pendingReserve: unknown): Reservation {
    if (this.#reservation) return this.#reservation;
    throw this.#link.wrongState(
      pendingReserve
        ? 'commit() needs a reserve() first, and the reserve() called before it has not resolved yet (a missing await?): use `const view = await channel.reserve(n)`, fill view, then commit()'
        : 'commit() needs a reserve() first: `const view = await channel.reserve(n)`, fill view, then commit() (each reserve() takes one commit())',
    );
  }

  commit(byteLength: number): void {
    this.#reservation = undefined;
    this.ring.commitClaim(byteLength);
    this.ring.publish();
  }

  /**
   * Records the sends given up (`unsent`, plus a reserved region never committed) for the consumer
   * to report, sets the producer's closed bit and publishes, which wakes a sleeping consumer.
   */
  close(unsent: number): void {
    const lost = unsent + (this.#reservation ? 1 : 0);
    if (lost > 0) Atomics.store(this.#link.header, word.unsent, Math.min(lost, 2 ** 31 - 1));
    Atomics.or(this.#link.header, word.state, layout.producerClosed);
    this.ring.publish();
  }

  #checkUsable(): void {
    if (this.#broken) throw this.#link.wrongState(this.#broken);
    if (this.#reservation) throw this.#link.wrongState('a reserved region is not committed yet; commit() it first (after filling the view that reserve() resolved with)');
    if (Atomics.load(this.#link.header, word.state) & layout.consumerClosed) throw this.#link.peerGone('producer', false)!;
  }

  async #waitForRoom(deadline: number): Promise<void> {
    const waiting = this.#waiter.wait(deadline);
    if (waiting) await waiting;
  }

  async #sendLater(bytes: Uint8Array, kind: number, deadline: number): Promise<void> {
    do await this.#waitForRoom(deadline);
    while (!this.ring.tryWrite(bytes, kind));
    this.ring.publish();
  }

  /** Writes the chunked message's records while there is room; a promise of the rest when there is not. */
  #writeChunks(deadline: number): Promise<void> | undefined {
    while (this.ring.tryWriteChunk()) {
      this.ring.publish();
      if (!this.ring.chunking) return undefined;
    }
    return this.#writeChunksLater(deadline);
  }

  async #writeChunksLater(deadline: number): Promise<void> {
    try {
      while (this.ring.chunking) {
        if (this.ring.tryWriteChunk()) this.ring.publish();
        else await this.#waitForRoom(deadline);
      }
    } catch (error) {
      if (this.ring.abandonChunked()) this.#broken = 'an earlier send() stopped in the middle of a message';
      throw error;
    }
  }

  /** Writes list[from...] while each is one record and fits, then publishes once; returns where it stopped. */
  #writeWhole(list: readonly Uint8Array[], kinds: readonly number[], from: number): number {
    let index = from;
    const ring = this.ring;
    while (index < list.length && list[index]!.length <= ring.maxWholeBytes && ring.tryWrite(list[index]!, kinds[index]!)) index++;
    if (index > from) ring.publish();
    return index;
  }

  async #sendManyLater(list: readonly Uint8Array[], kinds: readonly number[], from: number, deadline: number): Promise<void> {
    let index = from;
    while (index < list.length) {
      if (list[index]!.length > this.ring.maxWholeBytes) {
        const sending = this.send(list[index]!, kinds[index]!, deadline);
        if (sending) await sending;
        index++;
      } else {
        await this.#waitForRoom(deadline);
        index = this.#writeWhole(list, kinds, index);
      }
    }
  }

  #claim(byteLength: number, kind: number, elementBytes: number): ArrayBufferView | undefined {
    const offset = this.ring.tryClaim(byteLength, kind);
    if (offset < 0) return undefined;
    this.#reservation = { kind, elementBytes, byteLength };
    return viewOfKind(kind, this.#link.memory, offset, byteLength);
  }

  async #reserveLater(byteLength: number, kind: number, elementBytes: number, deadline: number): Promise<ArrayBufferView> {
    for (;;) {
      await this.#waitForRoom(deadline);
      const claimed = this.#claim(byteLength, kind, elementBytes);
      if (claimed) return claimed;
    }
  }
}

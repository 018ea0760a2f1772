// How a side waits (docs/channel-protocol.md, "Waking"): spin for spinMicros polling the counter,
// then say it sleeps (its waiting word), look again, and sleep on this event loop's doorbell for a
// slice at most. The other side rings that doorbell only when the waiting word says it sleeps: the
// sleeper stores the word and then loads the counter, the waker stores the counter and then loads
// the word (all sequentially consistent), so at least one of them sees the other's store and no
// wake-up is lost. Each slice ends with a look at the handle table, for a peer that died. While the
// peer's process exit rings the doorbell too (a pidfd), the slices of a long wait grow: an idle side
// wakes rarely and still learns of a dead peer at once.
import { IpcError } from '../errors.js';
import { addon, type SharedMemoryHandle } from '../native.js';
import { layout, word } from './layout.js';

/** The longest sleep before a waiting side checks that its peer's process still runs. */
export const SLICE_MS = 250;
/** The longest sleep while the peer's exit is watched (each slice of a wait doubles up to this). */
export const WATCHED_SLICE_MS = 2000;
/** Polls of the counter between two looks at the clock while spinning. */
const SPINS_PER_CLOCK_READ = 64;

/** What a waiting side tells the waiter. */
export interface WaitingSide {
  /** Whether the ring has what this side waits for (reads the other side's counter again). */
  ready(): boolean;
  /** Why the peer will never provide it, if so; `thorough` also asks /proc about its process (costly). */
  gone(thorough: boolean): IpcError | undefined;
  /** Runs right before the side says it sleeps (a consumer publishes its head there). */
  beforeSleep(): void;
}

/** The parts of a channel handle a waiter needs. */
export interface WaitContext {
  readonly name: string;
  readonly header: Int32Array;
  readonly segment: SharedMemoryHandle;
  readonly spinMicros: number;
  readonly closed: boolean;
  /** Whether the doorbell rings when the process holding `role`'s peer role exits (watching it when it can). */
  peerExitWatched(role: 'producer' | 'consumer'): boolean;
}

export class Waiter {
  readonly #context: WaitContext;
  readonly #side: WaitingSide;
  readonly #role: 'producer' | 'consumer';
  readonly #waitingOffset: number;
  readonly #waitingIndex: number;
  readonly #peerClosed: number;
  /** What the side waits for, in error messages ("data", "room in the ring"). */
  readonly #what: string;

  constructor(context: WaitContext, side: WaitingSide, role: 'producer' | 'consumer', what: string) {
    this.#context = context;
    this.#side = side;
    this.#role = role;
    this.#waitingOffset = role === 'consumer' ? layout.consumerWaitingOffset : layout.producerWaitingOffset;
    this.#waitingIndex = role === 'consumer' ? word.consumerWaiting : word.producerWaiting;
    this.#peerClosed = role === 'consumer' ? layout.producerClosed : layout.consumerClosed;
    this.#what = what;
  }

  /**
   * Waits until the side is ready, or its peer closed or went away: undefined when that holds
   * now or within the spin (no promise to await), else a promise of it. The promise rejects with
   * what `gone` says, ERR_CLOSED when this handle closes, and ERR_TIMEOUT at `deadline`
   * (performance.now() milliseconds).
   */
  wait(deadline: number): Promise<void> | undefined {
    if (this.#side.ready() || (this.#context.spinMicros > 0 && deadline > performance.now() && this.#spin())) return undefined;
    return this.#sleep(deadline);
  }

  /** Whether to stop waiting: the side is ready, or the peer closed (the side then says why). */
  #canGoOn(): boolean {
    return this.#side.ready() || (Atomics.load(this.#context.header, word.state) & this.#peerClosed) !== 0;
  }

  /** Polls until the side is ready (true), or the peer closed or the spin ran out (false). */
  #spin(): boolean {
    const until = performance.now() + this.#context.spinMicros / 1000;
    do {
      for (let i = 0; i < SPINS_PER_CLOCK_READ; i++) if (this.#canGoOn()) return this.#side.ready();
    } while (performance.now() < until);
    return false;
  }

  async #sleep(deadline: number): Promise<void> {
    const context = this.#context;
    const header = context.header;
    let longest = SLICE_MS;
    for (let thorough = false; ; thorough = true) {
      const gone = this.#side.gone(thorough);
      if (gone) throw gone;
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        throw new IpcError(`timed out waiting for ${this.#what} on channel "${context.name}"`, { code: 'ERR_TIMEOUT', name: context.name });
      }
      // A wait past its first slice is an idle one: its slices double while the peer's exit is watched.
      if (thorough) longest = context.peerExitWatched(this.#role) ? Math.min(2 * longest, WATCHED_SLICE_MS) : SLICE_MS;
      const slice = Math.min(remaining, longest);
      if (!addon.armDoorbell(context.segment, this.#waitingOffset)) {
        // No doorbell can be made in this environment: poll instead.
        await new Promise((resolve) => setTimeout(resolve, 1));
      } else {
        this.#side.beforeSleep();
        Atomics.store(header, this.#waitingIndex, layout.waitDoorbell);
        try {
          if (!this.#canGoOn()) await addon.waitDoorbell(Math.ceil(slice));
        } finally {
          // Whatever ended the sleep, the side is awake: a waker need not call the addon.
          if (!context.closed) Atomics.store(header, this.#waitingIndex, 0);
        }
      }
      if (context.closed) {
        throw new IpcError(`channel "${context.name}" was closed while waiting for ${this.#what}`, { code: 'ERR_CLOSED', name: context.name });
      }
      if (this.#side.ready()) return;
      // Not ready: the peer closed, a slice ended, or a ring was meant for another channel of this loop.
    }
  }
}
